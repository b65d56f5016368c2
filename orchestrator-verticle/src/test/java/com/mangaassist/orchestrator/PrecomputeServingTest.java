package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Predicted follow-ups end to end: orchestrator and precompute role on one event bus, the model behind the
 * emulator, the answers in the real Redis under the session's own keys.
 */
class PrecomputeServingTest {

  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    // priors only: transition counts left in the shared Redis by other runs must not change the predictions
    // serveThreshold 0.99: a typed question worded as the prediction (similarity 1) is served, a paraphrase is not
    harness = ChatHarness.start(new JsonObject().put("precompute", new JsonObject().put("priorWeight", 1e9)
        .put("serveThreshold", 0.99)), true);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aClickedSuggestionIsAnsweredFromPrecomputeForThisSessionOnly() throws Exception {
    String suggestion;
    try (ChatClient client = harness.connect("follow-up-user")) {
      client.awaitType("ready");
      client.query("t1", "Tell me about Vagabond");
      assertEquals("done", ChatClient.last(client.awaitAnswer("t1")).getString("type"));
      // re-published whole as each answer is stored: wait for the list that offers the purchase question
      JsonArray items = client.await(f -> "suggestions".equals(f.getString("type")) && "t1".equals(f.getString("id"))
          && f.getJsonArray("items").stream().map(JsonObject.class::cast)
              .anyMatch(i -> "purchase".equals(i.getString("intent"))), 90)
          .getJsonArray("items");
      JsonObject buy = items.stream().map(JsonObject.class::cast)
          .filter(i -> "purchase".equals(i.getString("intent"))).findFirst().orElseThrow();
      suggestion = buy.getString("text");
      assertTrue(suggestion.contains("Vagabond"), suggestion);

      client.query("t2", suggestion);
      List<JsonObject> answer = client.awaitAnswer("t2");
      JsonObject metadata = ChatClient.last(answer).getJsonObject("metadata");
      assertEquals("precomputed", metadata.getString("source"), "metadata: " + metadata);
      assertEquals("vagabond", metadata.getJsonArray("entities").getJsonObject(0).getString("titleId"));
      assertNull(metadata.getValue("model_first_token_ms"), "no model call on the way");
      assertTrue(ChatClient.text(answer).contains("Vagabond"));

      String cancelledEarlyCalls = "early_model_calls_total{outcome=\"abandoned\"}";
      double cancelledBefore = harness.counter(cancelledEarlyCalls);
      client.query("t3", "where can I buy it?");
      JsonObject typed = ChatClient.last(client.awaitAnswer("t3")).getJsonObject("metadata");
      assertEquals("precomputed", typed.getString("source"), "a typed follow-up with the same meaning: " + typed);
      // the words alone are sure of its intent (EarlyStart), but an answer of that intent about that title waits in
      // the session: the model is not called before the embedding, only to be cancelled for the stored answer
      assertEquals("deferred", typed.getJsonObject("timings").getString("early_start"), "timings: " + typed);
      assertEquals(cancelledBefore, harness.counter(cancelledEarlyCalls), "no early model call was cancelled");

      // a paraphrase (similarity about 0.94, under this harness's threshold) also waits for its embedding, is refused
      // by the matcher, and goes on to the model as a turn that never started early: one search status, the answer
      String modelCalls = "pre_model_ms_count{intent=\"purchase\"}";
      double callsBefore = harness.counter(modelCalls);
      client.query("t3b", "I want to buy it");
      List<JsonObject> refused = client.awaitAnswer("t3b");
      JsonObject paraphrase = ChatClient.last(refused).getJsonObject("metadata");
      assertEquals("model", paraphrase.getString("source"), "metadata: " + paraphrase);
      assertEquals("deferred", paraphrase.getJsonObject("timings").getString("early_start"), "metadata: " + paraphrase);
      assertEquals("vagabond", paraphrase.getJsonArray("entities").getJsonObject(0).getString("titleId"));
      assertEquals(1, refused.stream()
          .filter(f -> "status".equals(f.getString("type")) && "retrieving".equals(f.getString("phase"))).count());
      assertFalse(ChatClient.text(refused).isBlank());
      assertEquals(callsBefore + 1, harness.counter(modelCalls), "one model call: the early one was never made");
      assertEquals(cancelledBefore, harness.counter(cancelledEarlyCalls), "no early model call was cancelled");

      client.query("t4", ChatHarness.fresh("Where can I buy Monster?"));
      JsonObject other = ChatClient.last(client.awaitAnswer("t4")).getJsonObject("metadata");
      assertEquals("model", other.getString("source"), "a follow-up about another title is not served: " + other);
    }
    try (ChatClient stranger = harness.connect("another-shopper")) {
      stranger.awaitType("ready");
      stranger.query("s1", suggestion);
      JsonObject metadata = ChatClient.last(stranger.awaitAnswer("s1")).getJsonObject("metadata");
      assertFalse("precomputed".equals(metadata.getString("source")), "another session never gets it: " + metadata);
    }
  }

}
