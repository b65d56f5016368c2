package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sonnet failing before its first token gives way to Haiku; a model failing again and again trips its breaker. In
 * this order: the second test leaves Haiku's circuit open.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelResilienceTest {

  private static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
  private static final String SONNET = "anthropic.claude-3-sonnet-20240229-v1:0";

  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start(new JsonObject().put("model", new JsonObject()
        .put("circuitBreaker", new JsonObject().put("maxFailures", 3).put("resetTimeoutMs", 120_000))));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @AfterEach
  void clearFaults() {
    harness.emulator.clearFaults();
  }

  @Test
  @Order(1)
  void aFailingSonnetFallsBackToHaikuBeforeTheFirstToken() throws Exception {
    harness.emulator.armFault(new JsonObject().put("fault", "http-503").put("count", -1).put("modelId", SONNET));
    try (ChatClient client = harness.connect("fallback-user")) {
      client.awaitType("ready");
      client.query("r1", ChatHarness.fresh("Recommend manga like Vinland Saga"));
      List<JsonObject> answer = client.awaitAnswer("r1");
      JsonObject done = answer.get(answer.size() - 1);
      assertEquals("done", done.getString("type"), "answer: " + done);
      JsonObject metadata = done.getJsonObject("metadata");
      assertEquals("recommendation", metadata.getString("intent"));
      assertEquals("haiku", metadata.getString("model"), "answered by the fallback model");
      assertEquals(true, metadata.getBoolean("fallback"));
      assertEquals("sonnet", metadata.getJsonObject("timings").getString("fallback_from"));
      assertFalse(ChatClient.text(answer).isBlank());
    }
  }

  @Test
  @Order(2)
  void repeatedFailuresOpenTheCircuitAndShoppersGetAFastTypedError() throws Exception {
    harness.emulator.armFault(new JsonObject().put("fault", "http-503").put("count", -1).put("modelId", HAIKU));
    try (ChatClient client = harness.connect("breaker-user")) {
      client.awaitType("ready");
      for (int i = 0; i < 3; i++) {
        client.query("f" + i, ChatHarness.fresh("Tell me about Gintama"));
        JsonObject error = ChatClient.last(client.awaitAnswer("f" + i));
        assertEquals("model_error", error.getString("code"), "failure " + i + ": " + error);
      }
      int callsBefore = harness.emulator.stats().getInteger("started");
      client.query("open", ChatHarness.fresh("Tell me about Gintama"));
      JsonObject error = ChatClient.last(client.awaitAnswer("open"));
      assertEquals("error", error.getString("type"));
      assertEquals("model_error", error.getString("code"));
      assertTrue(error.getBoolean("retryable"));
      assertTrue(error.getString("message").contains("temporarily unavailable"), error.getString("message"));
      assertEquals(callsBefore, harness.emulator.stats().getInteger("started"), "an open circuit does not call the model");
    }
  }

}
