package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The model misbehaves (faults injected in the emulator) or the shopper walks away: the shopper sees a typed
 * error after whatever text had arrived, the connection stays usable, and no model stream is left running.
 */
class ModelFaultsTest {

  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @AfterEach
  void clearFaults() {
    harness.emulator.clearFaults();
  }

  @ParameterizedTest(name = "{0} after {1} deltas -> {2}")
  @CsvSource({
      "http-429, 0, throttled, true",
      "http-503, 0, model_error, true",
      "http-500, 0, model_error, true",
      "http-400, 0, model_error, false",
      "throttle, 0, throttled, true",
      "throttle, 4, throttled, true",
      "model-stream-error, 4, model_error, false",
      "abrupt-close, 4, model_error, true",
      "stall, 4, timeout, true"})
  void faultReachesTheClientAsTypedErrorAndTheConnectionStaysUsable(
      String fault, int after, String code, boolean retryable) throws Exception {
    // count -1: every attempt fails, so retries before the first token cannot hide the fault
    harness.emulator.armFault(fault, after, -1);
    try (ChatClient client = harness.connect("fault-" + fault)) {
      client.awaitType("ready");
      client.query("f1", ChatHarness.fresh("Tell me about Berserk"));
      List<JsonObject> answer = client.awaitAnswer("f1");
      JsonObject terminal = answer.get(answer.size() - 1);
      assertEquals("error", terminal.getString("type"), "terminal frame: " + terminal);
      assertEquals(code, terminal.getString("code"));
      assertEquals(retryable, terminal.getBoolean("retryable"));
      assertFalse(terminal.getString("message").isBlank());
      assertEquals(1, answer.stream().filter(ChatClient::isTerminal).count());
      if (after > 0) {
        assertFalse(ChatClient.text(answer).isEmpty(), "the partial text arrived before the error");
      } else {
        assertTrue(ChatClient.text(answer).isEmpty(), "no text when the model failed before its first token");
      }

      harness.emulator.clearFaults();
      client.query("f2", ChatHarness.fresh("Tell me about Berserk"));
      assertEquals("done", ChatClient.last(client.awaitAnswer("f2")).getString("type"), "the next query on the socket works");
    }
    JsonObject stats = harness.emulator.awaitStats(s -> s.getInteger("open") == 0);
    assertEquals(0, stats.getInteger("open"), "no model stream left open: " + stats);
  }

  @Test
  void aThrottleBeforeTheFirstTokenIsRetriedInvisibly() throws Exception {
    harness.emulator.armFault("http-429", 0, 1);
    try (ChatClient client = harness.connect("retry")) {
      client.awaitType("ready");
      client.query("r1", ChatHarness.fresh("Tell me about Monster"));
      List<JsonObject> answer = client.awaitAnswer("r1");
      assertEquals("done", ChatClient.last(answer).getString("type"), "answer: " + answer);
      assertFalse(ChatClient.text(answer).isEmpty());
    }
  }

  @Test
  void cancelStopsTheModelStreamAtOnce() throws Exception {
    JsonObject before = harness.emulator.stats();
    try (ChatClient client = harness.connect("canceller")) {
      client.awaitType("ready");
      client.query("c1", ChatHarness.fresh("Recommend manga like Naruto"));
      client.await(f -> "c1".equals(f.getString("id")) && "chunk".equals(f.getString("type")));
      client.send(new JsonObject().put("action", "cancel").put("id", "c1"));
      List<JsonObject> answer = client.awaitAnswer("c1");
      JsonObject done = ChatClient.last(answer);
      assertEquals("done", done.getString("type"));
      assertTrue(done.getJsonObject("metadata").getBoolean("cancelled"));
      assertEquals(1, answer.stream().filter(ChatClient::isTerminal).count());
    }
    JsonObject after = harness.emulator.awaitStats(
        s -> s.getInteger("open") == 0 && s.getInteger("cancelled") > before.getInteger("cancelled"));
    assertEquals(0, after.getInteger("open"));
    assertEquals(before.getInteger("cancelled") + 1, after.getInteger("cancelled"), "the emulator saw the cancel");
    assertEquals(before.getInteger("completed"), after.getInteger("completed"), "the cancelled answer never completed");
  }

  @Test
  void disconnectMidStreamStopsEveryModelStreamOfTheConnection() throws Exception {
    JsonObject before = harness.emulator.stats();
    ChatClient client = harness.connect("leaver");
    client.awaitType("ready");
    client.query("d1", ChatHarness.fresh("Recommend manga like Bleach"));
    client.query("d2", ChatHarness.fresh("Compare Naruto and Bleach"));
    client.await(f -> "d1".equals(f.getString("id")) && "chunk".equals(f.getString("type")));
    client.await(f -> "d2".equals(f.getString("id")) && "chunk".equals(f.getString("type")));
    client.close();
    JsonObject after = harness.emulator.awaitStats(
        s -> s.getInteger("open") == 0 && s.getInteger("cancelled") >= before.getInteger("cancelled") + 2);
    assertEquals(0, after.getInteger("open"));
    assertEquals(before.getInteger("cancelled") + 2, after.getInteger("cancelled"));
  }

}
