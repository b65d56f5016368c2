package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/** The unmodified SDK client, over h2c (its default) and over HTTP/1.1, against the emulator. */
@ExtendWith(VertxExtension.class)
class EmulatorSdkTest {

  private static EmulatorAdmin admin;
  private static BedrockRuntimeAsyncClient h2;
  private static BedrockRuntimeAsyncClient http11;

  @BeforeAll
  static void deploy(Vertx vertx) {
    int port = TestEmulator.deploy(vertx, TestEmulator.fastConfig()).actualPort();
    admin = new EmulatorAdmin(port);
    h2 = TestEmulator.h2Client(port);
    http11 = TestEmulator.http11Client(port);
  }

  @AfterAll
  static void closeClients() {
    h2.close();
    http11.close();
  }

  @BeforeEach
  void reset() {
    admin.reset();
  }

  private static BedrockRuntimeAsyncClient client(String protocol) {
    return protocol.equals("HTTP_2") ? h2 : http11;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void invokeModelWithResponseStreamDeliversTextAndMetrics(String protocol) throws Exception {
    SdkStreamCollector collector = new SdkStreamCollector(-1);
    client(protocol).invokeModelWithResponseStream(streamRequest(TestEmulator.anthropicBody(400)), collector.handler())
        .get(20, TimeUnit.SECONDS);

    assertTrue(collector.text().startsWith("Here are some picks") || collector.text().contains("One Piece vol. 108"),
        collector.text());
    assertTrue(collector.text().contains("One Piece vol. 108 by Eiichiro Oda"), collector.text());
    JsonObject metrics = collector.last().getJsonObject("amazon-bedrock-invocationMetrics");
    assertEquals(20, metrics.getInteger("firstByteLatency"));
    assertTrue(metrics.getInteger("outputTokenCount") > 10);
    JsonObject stats = admin.stats();
    assertEquals(1, stats.getInteger("completed"));
    assertEquals(1, stats.getJsonObject("protocols").getInteger(protocol), "the client really used " + protocol);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void converseStreamWorks(String protocol) throws Exception {
    StringBuilder text = new StringBuilder();
    List<Object> endings = new CopyOnWriteArrayList<>();
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onContentBlockDelta(d -> text.append(d.delta().text()))
            .onMessageStop(s -> endings.add(s.stopReason()))
            .onMetadata(endings::add)
            .build())
        .build();
    ConverseStreamRequest request = ConverseStreamRequest.builder()
        .modelId(TestEmulator.HAIKU)
        .messages(m -> m.role(ConversationRole.USER).content(ContentBlock.fromText("Any tips for new readers?")))
        .inferenceConfig(c -> c.maxTokens(300))
        .build();
    client(protocol).converseStream(request, handler).get(20, TimeUnit.SECONDS);

    assertTrue(text.toString().contains("Any tips for new readers"), text.toString());
    assertEquals(StopReason.END_TURN, endings.get(0));
    ConverseStreamMetadataEvent metadata = (ConverseStreamMetadataEvent) endings.get(1);
    assertTrue(metadata.metrics().latencyMs() >= 20);
    assertEquals(metadata.usage().inputTokens() + metadata.usage().outputTokens(), metadata.usage().totalTokens());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void invokeModelReturnsTheCompleteMessage(String protocol) throws Exception {
    InvokeModelResponse response = client(protocol).invokeModel(InvokeModelRequest.builder()
            .modelId(TestEmulator.HAIKU)
            .contentType("application/json")
            .body(SdkBytes.fromUtf8String(TestEmulator.anthropicBody(400).encode()))
            .build())
        .get(20, TimeUnit.SECONDS);
    JsonObject message = new JsonObject(response.body().asUtf8String());
    assertEquals("end_turn", message.getString("stop_reason"));
    assertTrue(message.getJsonArray("content").getJsonObject(0).getString("text").contains("One Piece"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void clientCancelStopsTheGeneration(String protocol) throws Exception {
    SdkStreamCollector collector = new SdkStreamCollector(2);
    var future = client(protocol).invokeModelWithResponseStream(
        streamRequest(TestEmulator.SLOW, TestEmulator.anthropicBody(400)), collector.handler());
    assertTrue(collector.deltasSeen.await(10, TimeUnit.SECONDS));
    future.cancel(true);

    JsonObject stats = admin.awaitStats(s -> s.getInteger("open") == 0 && s.getInteger("cancelled") == 1);
    assertEquals(0, stats.getInteger("completed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void stopSequenceAndMaxTokensAreHonoured(String protocol) throws Exception {
    Function<JsonObject, SdkStreamCollector> run = body -> {
      SdkStreamCollector collector = new SdkStreamCollector(-1);
      client(protocol).invokeModelWithResponseStream(streamRequest(body), collector.handler()).join();
      return collector;
    };
    SdkStreamCollector stopped = run.apply(TestEmulator.anthropicBody(400)
        .put("stop_sequences", new io.vertx.core.json.JsonArray().add("Eiichiro")));
    assertTrue(stopped.text().endsWith("One Piece vol. 108 by "), stopped.text());
    JsonObject delta = stopped.events.get(stopped.events.size() - 2).getJsonObject("delta");
    assertEquals("stop_sequence", delta.getString("stop_reason"));
    assertEquals("Eiichiro", delta.getString("stop_sequence"));

    SdkStreamCollector limited = run.apply(TestEmulator.anthropicBody(5));
    JsonObject limitedDelta = limited.events.get(limited.events.size() - 2);
    assertEquals("max_tokens", limitedDelta.getJsonObject("delta").getString("stop_reason"));
    assertEquals(5, limitedDelta.getJsonObject("usage").getInteger("output_tokens"));
    assertEquals(5, limited.last().getJsonObject("amazon-bedrock-invocationMetrics").getInteger("outputTokenCount"));
  }

  static InvokeModelWithResponseStreamRequest streamRequest(JsonObject body) {
    return streamRequest(TestEmulator.HAIKU, body);
  }

  static InvokeModelWithResponseStreamRequest streamRequest(String modelId, JsonObject body) {
    return InvokeModelWithResponseStreamRequest.builder()
        .modelId(modelId)
        .contentType("application/json")
        .body(SdkBytes.fromUtf8String(body.encode()))
        .build();
  }
}
