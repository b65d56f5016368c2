package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;

/** Each injected fault reaches the unmodified SDK as the exception real Bedrock would cause. */
@ExtendWith(VertxExtension.class)
class EmulatorFaultTest {

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

  @ParameterizedTest
  @CsvSource({
      "http-429, ThrottlingException, 429",
      "http-400, ValidationException, 400",
      "http-503, ServiceUnavailableException, 503",
      "http-500, InternalServerException, 500"})
  void httpFaultsArriveBeforeTheStream(String fault, String exceptionClass, int status) {
    SdkStreamCollector collector = new SdkStreamCollector(-1);
    Throwable error = failure(h2.invokeModelWithResponseStream(request(fault), collector.handler()));

    assertEquals(exceptionClass, error.getClass().getSimpleName());
    assertEquals(status, ((BedrockRuntimeException) error).statusCode());
    assertTrue(collector.events.isEmpty());
  }

  @ParameterizedTest
  @CsvSource({
      "throttle, ThrottlingException, 429",
      "model-stream-error, ModelStreamErrorException, 424"})
  void inStreamFaultsArriveAfterPartialText(String fault, String exceptionClass, int status) {
    SdkStreamCollector collector = new SdkStreamCollector(-1);
    Throwable error = failure(h2.invokeModelWithResponseStream(request(fault + ";after=3"), collector.handler()));

    assertEquals(exceptionClass, error.getClass().getSimpleName());
    assertEquals(status, ((BedrockRuntimeException) error).statusCode());
    assertEquals(3, collector.events.stream().filter(e -> "content_block_delta".equals(e.getString("type"))).count());
  }

  /**
   * SDK 2.57.8 does not report a connection dropped mid-stream: the future completes normally. The truncation is
   * visible only as a missing {@code message_stop}, which is what a client must check.
   */
  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void abruptCloseTruncatesTheStream(String protocol) throws Exception {
    BedrockRuntimeAsyncClient client = protocol.equals("HTTP_2") ? h2 : http11;
    SdkStreamCollector collector = new SdkStreamCollector(-1);
    CompletableFuture<Void> future =
        client.invokeModelWithResponseStream(request("abrupt-close;after=2"), collector.handler());
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertInstanceOf(SdkClientException.class, e.getCause());
    }

    assertEquals(2, collector.events.stream().filter(e -> "content_block_delta".equals(e.getString("type"))).count());
    assertTrue(collector.events.stream().noneMatch(e -> "message_stop".equals(e.getString("type"))));
    assertEquals(1, admin.stats().getInteger("failed"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void stalledStreamStaysOpenUntilTheClientLeaves(String protocol) throws Exception {
    BedrockRuntimeAsyncClient client = protocol.equals("HTTP_2") ? h2 : http11;
    SdkStreamCollector collector = new SdkStreamCollector(2, false);
    CompletableFuture<Void> future = client.invokeModelWithResponseStream(request("stall;after=2"), collector.handler());
    assertTrue(collector.deltasSeen.await(10, TimeUnit.SECONDS));
    admin.awaitStats(s -> s.getInteger("open") == 1);
    assertTrue(!future.isDone(), "a stalled stream never finishes by itself");

    future.cancel(true);
    admin.awaitStats(s -> s.getInteger("open") == 0 && s.getInteger("cancelled") == 1);
  }

  @Test
  void adminFaultsApplyToTheNextCountRequestsOfTheirModel() {
    admin.armFault(new JsonObject().put("fault", "http-429").put("count", 2).put("modelId", TestEmulator.HAIKU));

    assertEquals("ThrottlingException", failure(h2.invokeModelWithResponseStream(
        EmulatorSdkTest.streamRequest(TestEmulator.anthropicBody(50)), new SdkStreamCollector(-1).handler()))
        .getClass().getSimpleName());
    // another model is not affected
    h2.invokeModelWithResponseStream(EmulatorSdkTest.streamRequest(TestEmulator.SLOW, TestEmulator.anthropicBody(3)),
        new SdkStreamCollector(-1).handler()).join();
    assertEquals("ThrottlingException", failure(h2.invokeModelWithResponseStream(
        EmulatorSdkTest.streamRequest(TestEmulator.anthropicBody(50)), new SdkStreamCollector(-1).handler()))
        .getClass().getSimpleName());
    h2.invokeModelWithResponseStream(EmulatorSdkTest.streamRequest(TestEmulator.anthropicBody(50)),
        new SdkStreamCollector(-1).handler()).join();

    JsonObject stats = admin.stats();
    assertEquals(2, stats.getInteger("failed"));
    assertEquals(2, stats.getInteger("completed"));
  }

  private static InvokeModelWithResponseStreamRequest request(String faultHeader) {
    return EmulatorSdkTest.streamRequest(TestEmulator.anthropicBody(400)).toBuilder()
        .overrideConfiguration(o -> o.putHeader("x-emulator-fault", faultHeader))
        .build();
  }

  private static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
    return e.getCause();
  }

}
