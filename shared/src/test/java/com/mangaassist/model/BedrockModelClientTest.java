package com.mangaassist.model;

import static com.mangaassist.model.ModelTestSupport.HAIKU;
import static com.mangaassist.model.ModelTestSupport.SLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.emulator.EmulatorAdmin;
import com.mangaassist.model.ModelFailure.Kind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BedrockModelClient through the real SDK against the in-process emulator. */
@ExtendWith(VertxExtension.class)
class BedrockModelClientTest {

  private static Vertx vertx;
  private static EmulatorAdmin emulator;
  private static int port;
  private static BedrockModelClient h2;
  private static BedrockModelClient http11;
  /** Short token timeouts for the stall tests. */
  private static BedrockModelClient impatient;

  @BeforeAll
  static void setUp(Vertx injected) {
    vertx = injected;
    port = ModelTestSupport.deployEmulator(vertx, ModelTestSupport.emulatorConfig(0, 0));
    emulator = new EmulatorAdmin(port);
    h2 = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(port));
    http11 = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(port)
        .put("http", new JsonObject().put("protocol", "http1.1")));
    impatient = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(port)
        .put("firstTokenTimeoutMs", 1000).put("idleTimeoutMs", 300));
    // the first call of a JVM pays class loading and connection setup; keep that out of the timeout tests
    for (BedrockModelClient client : new BedrockModelClient[] {h2, http11, impatient}) {
      client.warmUp("haiku").await();
    }
  }

  @AfterAll
  static void tearDown() {
    h2.close();
    http11.close();
    impatient.close();
  }

  @BeforeEach
  void resetEmulator() {
    emulator.reset();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void streamsTheWholeAnswerInOrderWithMetricsOnTheCallersContext(String protocol) throws Exception {
    BedrockModelClient client = protocol.equals("HTTP_2") ? h2 : http11;
    Context caller = vertx.getOrCreateContext();
    RecordingListener listener = new RecordingListener();
    ModelTestSupport.startOnContext(caller, v -> client.stream(ModelTestSupport.catalogRequest("haiku"), listener));

    ModelCompletion completion = listener.awaitCompletion();
    assertTrue(listener.text().contains("One Piece vol. 108 by Eiichiro Oda"), listener.text());
    assertTrue(listener.deltas.size() > 5 && listener.deltas.stream().noneMatch(String::isEmpty));
    assertEquals("end_turn", completion.stopReason());
    assertTrue(completion.inputTokens() > 0);
    assertTrue(completion.outputTokens() >= listener.deltas.size());
    assertEquals(20, completion.firstByteLatencyMs());
    assertTrue(completion.invocationLatencyMs() >= 20);
    listener.contexts.forEach(c -> assertSame(caller, c));
    Thread first = listener.threads.get(0);
    listener.threads.forEach(t -> assertSame(first, t));
    assertEquals(1, listener.terminalCallbacks.get());

    JsonObject stats = emulator.stats();
    assertEquals(1, stats.getJsonObject("protocols").getInteger(protocol), "client really used " + protocol);
    assertEquals(1, stats.getJsonObject("invocations").getInteger(HAIKU), "alias resolved to the model id");
  }

  @Test
  void streamOffContextFailsFast() {
    assertThrows(IllegalStateException.class,
        () -> h2.stream(ModelTestSupport.catalogRequest(HAIKU), new RecordingListener()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void cancelResetsTheHttpStreamAndSilencesTheListener(String protocol) throws Exception {
    BedrockModelClient client = protocol.equals("HTTP_2") ? h2 : http11;
    RecordingListener listener = new RecordingListener(2);
    ModelTestSupport.startOnContext(vertx.getOrCreateContext(), v -> {
      ModelStream stream = client.stream(ModelTestSupport.catalogRequest(SLOW), listener);
      listener.handle = stream;
      return stream;
    });

    JsonObject stats = emulator.awaitStats(s -> s.getInteger("cancelled") == 1 && s.getInteger("open") == 0);
    assertEquals(0, stats.getInteger("completed"));
    // the slow model would send another delta every ~100 ms; give any stray callback time to show up
    Thread.sleep(300);
    assertEquals(0, listener.callbacksAfterCancel.get());
    assertEquals(2, listener.deltas.size());
    assertEquals(0, listener.terminalCallbacks.get());
  }

  @Test
  void throttledOnceBeforeTheStreamIsRetriedAndSucceeds() throws Exception {
    emulator.armFault(new JsonObject().put("fault", "http-429").put("count", 1));
    RecordingListener listener = start(h2, ModelTestSupport.catalogRequest(HAIKU));

    listener.awaitCompletion();
    assertTrue(listener.text().contains("One Piece"));
    JsonObject stats = emulator.stats();
    assertEquals(2, stats.getInteger("started"));
    assertEquals(1, stats.getInteger("failed"));
    assertEquals(1, stats.getInteger("completed"));
  }

  @Test
  void persistentThrottlingGivesUpAfterMaxAttempts() throws Exception {
    emulator.armFault(new JsonObject().put("fault", "http-429").put("count", -1));
    RecordingListener listener = start(h2, ModelTestSupport.catalogRequest(HAIKU));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.THROTTLED, failure.kind());
    assertTrue(failure.retryable());
    assertFalse(failure.afterFirstToken());
    assertEquals(3, emulator.stats().getInteger("started"), "retry.maxAttempts");
  }

  @Test
  void inStreamThrottleAfterDeltasIsNotRetried() throws Exception {
    RecordingListener listener = start(h2, withFault("throttle;after=3"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.THROTTLED, failure.kind());
    assertTrue(failure.retryable());
    assertTrue(failure.afterFirstToken());
    assertEquals(3, listener.deltas.size());
    assertEquals(1, emulator.stats().getInteger("started"));
  }

  @Test
  void modelStreamErrorIsAModelError() throws Exception {
    RecordingListener listener = start(h2, withFault("model-stream-error"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.MODEL_ERROR, failure.kind());
    assertFalse(failure.retryable());
    assertFalse(failure.afterFirstToken());
    assertEquals(1, emulator.stats().getInteger("started"), "not retryable, so no retry");
  }

  @Test
  void validationErrorIsNotRetried() throws Exception {
    RecordingListener listener = start(h2, withFault("http-400"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.VALIDATION, failure.kind());
    assertFalse(failure.retryable());
    assertEquals(1, emulator.stats().getInteger("started"));
  }

  @Test
  void stallAfterDeltasTimesOutAndReleasesTheStream() throws Exception {
    RecordingListener listener = start(impatient, withFault("stall;after=2"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.TIMEOUT, failure.kind());
    assertTrue(failure.afterFirstToken(), failure::toString);
    assertEquals(2, listener.deltas.size());
    emulator.awaitStats(s -> s.getInteger("open") == 0 && s.getInteger("cancelled") == 1);
  }

  @Test
  void noFirstTokenTimesOut() throws Exception {
    RecordingListener listener = start(impatient, withFault("stall"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.TIMEOUT, failure.kind());
    assertFalse(failure.afterFirstToken());
    assertTrue(listener.deltas.isEmpty());
    emulator.awaitStats(s -> s.getInteger("open") == 0 && s.getInteger("cancelled") == 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void abruptCloseAfterDeltasIsAModelErrorWithoutRetry(String protocol) throws Exception {
    RecordingListener listener = start(protocol.equals("HTTP_2") ? h2 : http11, withFault("abrupt-close;after=2"));

    ModelFailure failure = listener.awaitFailure();
    assertEquals(Kind.MODEL_ERROR, failure.kind());
    assertTrue(failure.afterFirstToken());
    assertEquals(2, listener.deltas.size());
    assertEquals(1, emulator.stats().getInteger("started"));
  }

  @Test
  void abruptCloseBeforeAnyDeltaIsRetried() throws Exception {
    emulator.armFault(new JsonObject().put("fault", "abrupt-close").put("count", 1));
    RecordingListener listener = start(h2, ModelTestSupport.catalogRequest(HAIKU));

    listener.awaitCompletion();
    assertEquals(2, emulator.stats().getInteger("started"));
  }

  @Test
  void unreachableEndpointIsARetryableModelErrorAfterRetries() throws Exception {
    // port 1 (tcpmux) is never served here: the connection is refused at once. A port freed by a test socket could be
    // taken again by another server of the same JVM before the client dials it.
    int closedPort = 1;
    try (BedrockModelClient client = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(closedPort))) {
      ModelFailure failure = start(client, ModelTestSupport.catalogRequest(HAIKU)).awaitFailure();
      // the SDK's HTTP/2 pool reports a refused connection either as the connect error (MODEL_ERROR) or, when its
      // retries of the connect outlast the acquire deadline, as an acquire timeout (TIMEOUT); both are typed,
      // retryable failures before the first token, which is what the shopper's client acts on
      assertTrue(failure.kind() == Kind.MODEL_ERROR || failure.kind() == Kind.TIMEOUT, failure::toString);
      assertTrue(failure.retryable());
      assertFalse(failure.afterFirstToken());
    }
  }

  private static ModelRequest withFault(String fault) {
    return ModelTestSupport.catalogRequest(HAIKU).withHeaders(Map.of("x-emulator-fault", fault));
  }

  private static RecordingListener start(BedrockModelClient client, ModelRequest request) throws Exception {
    RecordingListener listener = new RecordingListener();
    ModelTestSupport.startOnContext(vertx.getOrCreateContext(), v -> client.stream(request, listener));
    return listener;
  }
}
