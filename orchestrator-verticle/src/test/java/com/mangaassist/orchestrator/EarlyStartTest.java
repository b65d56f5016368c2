package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model call started before the question's embedding (EarlyStart) must not change what the shopper gets: two
 * orchestrators, one with early starts and one without, each with its own emulator (whose answers follow from the
 * prompt), answer the same questions with the same frames; only the early one's timings say the call began early.
 */
class EarlyStartTest {

  private static ChatHarness early;
  private static ChatHarness late;

  @BeforeAll
  static void start() {
    // without the cache, both answer from the model: the shared Redis would give the second one the first's answer.
    // A model that answers at once: its first words come back before the embedding, so the early turn must hold them
    JsonObject config = ChatHarness.modelSpeed(300).put("cache", new JsonObject().put("enabled", false));
    config.getJsonObject("emulator").getJsonObject("profiles").forEach(p -> ((JsonObject) p.getValue()).put("ttftMs", 0));
    early = ChatHarness.start(config);
    late = ChatHarness.start(config.copy().put("orchestrator",
        new JsonObject().put("earlyStart", new JsonObject().put("enabled", false))));
    // the first model call of a process is slow (classes, connection): warmed, the model answers in milliseconds
    try {
      ask(early, "what are your shipping costs");
      ask(late, "what are your shipping costs");
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    early.close();
    late.close();
  }

  @Test
  void answersAreTheSameWithAndWithoutAnEarlyStart() throws Exception {
    // words sure of an intent that needs no catalog search: started early, then confirmed by the embedding
    for (String question : List.of("Is Berserk volume 41 in stock?", "Tell me about Monster by Naoki Urasawa",
        "What is your return policy?", "hello there")) {
      assertSameAnswer(question, "used");
    }
    // a recommendation needs the catalog search, which needs the embedding: never started early
    assertSameAnswer("Recommend manga like Naruto", null);
  }

  @Test
  void whatTheModelSaysBeforeTheEmbeddingIsHeldBackAndThenSent() throws Exception {
    // the orchestrator embeds one question at a time: behind eight long ones (two shoppers, four questions each, the
    // most one connection may have running), this question's embedding comes back well after the model's first
    // words, which the turn must hold until the embedding confirms the intent
    String question = "hi, good morning";  // asked nowhere else here: its embedding is not remembered yet
    List<JsonObject> withEarly;
    try (ChatClient busy = early.connect("early-start-busy-" + java.util.UUID.randomUUID());
        ChatClient busier = early.connect("early-start-busy-" + java.util.UUID.randomUUID());
        ChatClient client = early.connect("early-start-" + java.util.UUID.randomUUID())) {
      List<ChatClient> busyOnes = List.of(busy, busier);
      for (ChatClient shopper : List.of(busy, busier, client)) {
        shopper.awaitType("ready");
      }
      for (ChatClient shopper : busyOnes) {
        for (int i = 0; i < 4; i++) {
          shopper.query("long" + i, "Reference " + java.util.UUID.randomUUID() + ". I read many long fantasy series"
              + " with political intrigue, large casts, wars between kingdoms and detailed world building, and I liked"
              + " the slow build more than the fights; which long series should I start next winter, and why?");
        }
      }
      client.query("q", question);
      withEarly = client.awaitAnswer("q");
      for (ChatClient shopper : busyOnes) {
        for (int i = 0; i < 4; i++) {
          shopper.awaitAnswer("long" + i);
        }
      }
    }
    assertSame(question, withEarly, ask(late, question), "used");
  }

  @Test
  void anIntentTheEmbeddingDisagreesWithStartsOver() throws Exception {
    // the words say order status (sure), the meaning says complaint: the early call is dropped and the turn answered
    // as a complaint, exactly as without the early start (which also searches the catalog for it)
    JsonObject metadata = assertSameAnswer("you guys messed up my order", "restarted");
    assertEquals("complaint", metadata.getString("intent"));
    assertEquals("order_status", metadata.getJsonObject("timings").getString("intent_by_words"));
  }

  /** Asks both orchestrators; returns the early one's {@code done} metadata. */
  private static JsonObject assertSameAnswer(String question, String expectedEarlyStart) throws Exception {
    return assertSame(question, ask(early, question), ask(late, question), expectedEarlyStart);
  }

  private static JsonObject assertSame(String question, List<JsonObject> withEarly, List<JsonObject> without,
      String expectedEarlyStart) {
    JsonObject earlyDone = ChatClient.last(withEarly).getJsonObject("metadata");
    JsonObject lateDone = ChatClient.last(without).getJsonObject("metadata");
    assertEquals(expectedEarlyStart, earlyDone.getJsonObject("timings").getString("early_start"), question);
    assertNull(lateDone.getJsonObject("timings").getValue("early_start"), question);
    assertEquals("model", earlyDone.getString("source"), question);
    assertEquals(lateDone.getString("intent"), earlyDone.getString("intent"), question);
    assertEquals(lateDone.getString("model"), earlyDone.getString("model"), question);
    assertEquals(ChatClient.text(without), ChatClient.text(withEarly), question);
    assertEquals(cards(without), cards(withEarly), question);
    assertEquals(types(without), types(withEarly), "the same frames in the same order: " + question);
    return earlyDone;
  }

  private static List<JsonObject> ask(ChatHarness harness, String question) throws InterruptedException {
    // a new shopper each time: no history or liked titles of an earlier question in the prompt
    return harness.ask("early-start-" + java.util.UUID.randomUUID(), question);
  }

  private static JsonArray cards(List<JsonObject> frames) {
    JsonArray all = new JsonArray();
    frames.stream().filter(f -> "cards".equals(f.getString("type"))).forEach(f -> all.addAll(f.getJsonArray("items")));
    return all;
  }

  /** Frame types, runs of chunks counted as one (how a stream is batched depends on timing). */
  private static List<String> types(List<JsonObject> frames) {
    List<String> types = new java.util.ArrayList<>();
    for (JsonObject frame : frames) {
      String type = frame.getString("type");
      if (types.isEmpty() || !types.get(types.size() - 1).equals(type)) {
        types.add(type);
      }
    }
    return types;
  }
}
