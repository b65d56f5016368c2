package com.mangaassist.emulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Encodes AWS event-stream frames exactly as Bedrock Runtime sends them.
 *
 * <p>Every header is string-typed because the SDK reads all of them with {@code getString()}; the header order
 * ({@code :event-type}, {@code :content-type}, {@code :message-type}) matches real Bedrock captures.
 */
public final class EventStreamFrames {

  private static final String JSON = "application/json";

  private EventStreamFrames() {}

  /** An {@code event} frame whose payload is the event member's JSON (never wrapped in the member name). */
  public static Buffer event(String eventType, String payloadJson) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":event-type", HeaderValue.fromString(eventType));
    headers.put(":content-type", HeaderValue.fromString(JSON));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encode(headers, payloadJson);
  }

  /** A modeled in-stream error; {@code exceptionType} is the camelCase union member, e.g. {@code throttlingException}. */
  public static Buffer exception(String exceptionType, String message) {
    Map<String, HeaderValue> headers = new LinkedHashMap<>();
    headers.put(":exception-type", HeaderValue.fromString(exceptionType));
    headers.put(":content-type", HeaderValue.fromString(JSON));
    headers.put(":message-type", HeaderValue.fromString("exception"));
    return encode(headers, new JsonObject().put("message", message).encode());
  }

  /**
   * The payload of an InvokeModelWithResponseStream {@code chunk}: the Anthropic event JSON, base64-encoded, plus
   * Bedrock's random {@code p} padding field when {@code padding} is not null.
   */
  public static String chunkPayload(String anthropicEventJson, String padding) {
    JsonObject payload = new JsonObject()
        .put("bytes", Base64.getEncoder().encodeToString(anthropicEventJson.getBytes(StandardCharsets.UTF_8)));
    if (padding != null) {
      payload.put("p", padding);
    }
    return payload.encode();
  }

  /** A {@code chunk} event frame carrying one Anthropic streaming event. */
  public static Buffer chunk(String anthropicEventJson, String padding) {
    return event("chunk", chunkPayload(anthropicEventJson, padding));
  }

  private static Buffer encode(Map<String, HeaderValue> headers, String payloadJson) {
    ByteBuffer frame = new Message(headers, payloadJson.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[frame.remaining()];
    frame.get(bytes);
    return Buffer.buffer(bytes);
  }
}
