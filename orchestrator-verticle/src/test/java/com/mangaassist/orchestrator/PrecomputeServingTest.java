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
    harness = ChatHarness.start(new JsonObject().put("precompute", new JsonObject().put("priorWeight", 1e9)), true);
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

      client.query("t3", "where can I buy it?");
      JsonObject typed = ChatClient.last(client.awaitAnswer("t3")).getJsonObject("metadata");
      assertEquals("precomputed", typed.getString("source"), "a typed follow-up with the same meaning: " + typed);

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
