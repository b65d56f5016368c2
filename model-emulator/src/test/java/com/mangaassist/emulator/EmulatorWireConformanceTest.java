package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.eventstream.HeaderType;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/** Decodes the raw HTTP/1.1 body with the SDK's own event-stream decoder (which checks both CRCs). */
@ExtendWith(VertxExtension.class)
class EmulatorWireConformanceTest {

  private static EmulatorAdmin admin;

  @BeforeAll
  static void deploy(Vertx vertx) {
    admin = new EmulatorAdmin(TestEmulator.deploy(vertx, TestEmulator.fastConfig()).actualPort());
  }

  @BeforeEach
  void reset() {
    admin.reset();
  }

  @Test
  void invokeWithResponseStreamFramesFollowBedrock() {
    HttpResponse<byte[]> response = admin.post(
        "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream",
        TestEmulator.anthropicBody(400).encode());

    assertEquals(200, response.statusCode());
    assertEquals("application/vnd.amazon.eventstream", response.headers().firstValue("content-type").orElseThrow());
    assertEquals("application/json", response.headers().firstValue("x-amzn-bedrock-content-type").orElseThrow());
    assertTrue(response.headers().firstValue("x-amzn-requestid").isPresent());
    assertEquals("chunked", response.headers().firstValue("transfer-encoding").orElseThrow());

    List<JsonObject> events = new ArrayList<>();
    for (Message message : decode(response.body())) {
      Map<String, HeaderValue> headers = message.getHeaders();
      assertEquals(List.of(":event-type", ":content-type", ":message-type"), List.copyOf(headers.keySet()));
      headers.values().forEach(h -> assertEquals(HeaderType.STRING, h.getType()));
      assertEquals("chunk", headers.get(":event-type").getString());
      assertEquals("application/json", headers.get(":content-type").getString());
      assertEquals("event", headers.get(":message-type").getString());
      JsonObject payload = new JsonObject(new String(message.getPayload(), StandardCharsets.UTF_8));
      assertTrue(payload.getString("p").length() > 0, "padding present");
      events.add(new JsonObject(new String(Base64.getDecoder().decode(payload.getString("bytes")), StandardCharsets.UTF_8)));
    }

    List<String> types = events.stream().map(e -> e.getString("type")).toList();
    assertEquals("message_start", types.get(0));
    assertEquals("content_block_start", types.get(1));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"), types.subList(types.size() - 3, types.size()));
    List<String> middle = types.subList(2, types.size() - 3);
    assertTrue(middle.size() > 5 && middle.stream().allMatch("content_block_delta"::equals), types.toString());

    JsonObject start = events.get(0).getJsonObject("message");
    assertTrue(start.getString("id").startsWith("msg_bdrk_"));
    assertEquals("claude-3-haiku-20240307", start.getString("model"));
    int inputTokens = start.getJsonObject("usage").getInteger("input_tokens");

    StringBuilder text = new StringBuilder();
    for (JsonObject delta : events.subList(2, types.size() - 3)) {
      assertEquals(0, delta.getInteger("index"));
      assertEquals("text_delta", delta.getJsonObject("delta").getString("type"));
      text.append(delta.getJsonObject("delta").getString("text"));
    }
    assertTrue(text.toString().contains("One Piece vol. 108 by Eiichiro Oda"), text.toString());
    assertTrue(text.toString().contains("528"), text.toString());
    assertTrue(text.toString().contains("Vinland Saga is back in stock"), text.toString());

    JsonObject messageDelta = events.get(types.size() - 2);
    assertEquals("end_turn", messageDelta.getJsonObject("delta").getString("stop_reason"));
    assertNull(messageDelta.getJsonObject("delta").getValue("stop_sequence"));
    int outputTokens = messageDelta.getJsonObject("usage").getInteger("output_tokens");

    JsonObject metrics = events.get(types.size() - 1).getJsonObject("amazon-bedrock-invocationMetrics");
    for (String field : List.of("inputTokenCount", "outputTokenCount", "invocationLatency", "firstByteLatency")) {
      assertInstanceOf(Integer.class, metrics.getValue(field), field + " must be an integer");
    }
    assertEquals(inputTokens, metrics.getInteger("inputTokenCount"));
    assertEquals(outputTokens, metrics.getInteger("outputTokenCount"));
    assertEquals(20, metrics.getInteger("firstByteLatency"));
    assertTrue(metrics.getInteger("invocationLatency") >= 20);

    JsonObject stats = admin.stats();
    assertEquals(1, stats.getJsonObject("invocations").getInteger(TestEmulator.HAIKU), "model id is URL-decoded");
    assertEquals(1, stats.getInteger("completed"));
    assertEquals(0, stats.getInteger("open"));
  }

  @Test
  void sameSeedAndPromptGiveTheSameAnswer() {
    String path = "/model/" + TestEmulator.HAIKU + "/invoke-with-response-stream";
    byte[] first = admin.post(path, TestEmulator.anthropicBody(400).encode()).body();
    byte[] second = admin.post(path, TestEmulator.anthropicBody(400).encode()).body();
    assertEquals(new String(first, StandardCharsets.ISO_8859_1), new String(second, StandardCharsets.ISO_8859_1));
  }

  @Test
  void converseStreamSendsBareEventStructsWithoutTextContentBlockStart() {
    JsonObject body = new JsonObject()
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("text", "Do you sell Berserk?")))))
        .put("system", new JsonArray().add(new JsonObject().put("text", "Be brief.")))
        .put("inferenceConfig", new JsonObject().put("maxTokens", 300));
    HttpResponse<byte[]> response = admin.post("/model/" + TestEmulator.HAIKU + "/converse-stream", body.encode());
    assertEquals(200, response.statusCode());

    List<String> types = new ArrayList<>();
    List<JsonObject> payloads = new ArrayList<>();
    for (Message message : decode(response.body())) {
      assertEquals("event", message.getHeaders().get(":message-type").getString());
      types.add(message.getHeaders().get(":event-type").getString());
      payloads.add(new JsonObject(new String(message.getPayload(), StandardCharsets.UTF_8)));
    }
    assertEquals("messageStart", types.get(0));
    assertEquals("assistant", payloads.get(0).getString("role"));
    assertFalse(types.contains("contentBlockStart"));
    assertEquals(List.of("contentBlockStop", "messageStop", "metadata"), types.subList(types.size() - 3, types.size()));
    assertTrue(types.subList(1, types.size() - 3).stream().allMatch("contentBlockDelta"::equals));
    String text = payloads.subList(1, types.size() - 3).stream()
        .map(p -> p.getJsonObject("delta").getString("text")).reduce("", String::concat);
    assertTrue(text.contains("Do you sell Berserk"), text);
    assertEquals("end_turn", payloads.get(types.size() - 2).getString("stopReason"));
    JsonObject metadata = payloads.get(types.size() - 1);
    assertInstanceOf(Integer.class, metadata.getJsonObject("metrics").getValue("latencyMs"));
    JsonObject usage = metadata.getJsonObject("usage");
    assertEquals(usage.getInteger("inputTokens") + usage.getInteger("outputTokens"), usage.getInteger("totalTokens"));
  }

  @Test
  void invalidBodyIsAValidationException() {
    JsonObject noVersion = TestEmulator.anthropicBody(100);
    noVersion.remove("anthropic_version");
    for (String body : List.of(noVersion.encode(), "{not json", TestEmulator.anthropicBody(0).encode())) {
      HttpResponse<byte[]> response =
          admin.post("/model/" + TestEmulator.HAIKU + "/invoke-with-response-stream", body);
      assertEquals(400, response.statusCode(), body);
      assertEquals("ValidationException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
      assertTrue(new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("message")
          .startsWith("Malformed input request"));
    }
    assertEquals(3, admin.stats().getInteger("failed"));
  }

  @Test
  void faultHeaderSelectsAnHttpError() {
    HttpResponse<byte[]> response = admin.post("/model/" + TestEmulator.HAIKU + "/invoke-with-response-stream",
        TestEmulator.anthropicBody(100).encode(), "x-emulator-fault", "http-503");
    assertEquals(503, response.statusCode());
    assertEquals("ServiceUnavailableException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
  }

  @Test
  void inStreamThrottleFrameFollowsTheRequestedDeltas() {
    HttpResponse<byte[]> response = admin.post("/model/" + TestEmulator.HAIKU + "/invoke-with-response-stream",
        TestEmulator.anthropicBody(400).encode(), "x-emulator-fault", "throttle;after=2");
    List<Message> messages = decode(response.body());
    // message_start, content_block_start, 2 deltas, then the exception frame
    assertEquals(5, messages.size());
    Message last = messages.get(4);
    assertEquals("exception", last.getHeaders().get(":message-type").getString());
    assertEquals("throttlingException", last.getHeaders().get(":exception-type").getString());
    assertEquals("Too many requests, please wait before trying again.",
        new JsonObject(new String(last.getPayload(), StandardCharsets.UTF_8)).getString("message"));
    assertEquals(1, admin.stats().getInteger("failed"));
  }

  private static List<Message> decode(byte[] body) {
    MessageDecoder decoder = new MessageDecoder();
    decoder.feed(body);
    return decoder.getDecodedMessages();
  }
}
