package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Intent, entities, retrieval, cards, the semantic cache and the conversation's memory, end to end. */
class TurnIntelligenceTest {

  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void isItInStockResolvesToTheTitleOfTheFirstTurn() throws Exception {
    try (ChatClient client = harness.connect("pronoun-user")) {
      client.awaitType("ready");
      client.query("t1", "Tell me about Vinland Saga");
      JsonObject first = ChatClient.last(client.awaitAnswer("t1")).getJsonObject("metadata");
      assertEquals("vinland-saga", first.getJsonArray("entities").getJsonObject(0).getString("titleId"));

      client.query("t2", "is it in stock?");
      List<JsonObject> answer = client.awaitAnswer("t2");
      JsonObject second = ChatClient.last(answer).getJsonObject("metadata");
      assertEquals("availability", second.getString("intent"));
      assertEquals("vinland-saga", second.getJsonArray("entities").getJsonObject(0).getString("titleId"),
          "\"it\" is the title of the previous turn");
      JsonObject card = cards(answer).getJsonObject(0);
      assertEquals("Vinland Saga", card.getString("title"));
    }
  }

  @Test
  void cardsOfTheNamedTitleArriveBeforeTheText() throws Exception {
    try (ChatClient client = harness.connect("cards-user")) {
      client.awaitType("ready");
      client.query("c1", "How much is Berserk volume 3?");
      List<JsonObject> answer = client.awaitAnswer("c1");
      int cardsAt = indexOf(answer, "cards");
      int chunkAt = indexOf(answer, "chunk");
      assertTrue(cardsAt >= 0 && cardsAt < chunkAt, "cards before the first chunk: " + answer);
      JsonObject card = answer.get(cardsAt).getJsonArray("items").getJsonObject(0);
      assertEquals("berserk", card.getString("titleId"));
      assertEquals(3, card.getInteger("volume"));
      assertEquals(792, card.getInteger("priceJpy"));
      assertTrue(card.containsKey("inStock"));
      assertTrue(card.getString("image").startsWith("/covers/berserk/3"));
      JsonObject metadata = ChatClient.last(answer).getJsonObject("metadata");
      assertEquals(List.of(3), metadata.getJsonArray("volumes").getList());
    }
  }

  @Test
  void recommendationCardsFollowTheTitlesAsTheTextNamesThem() throws Exception {
    try (ChatClient client = harness.connect("progressive-user")) {
      client.awaitType("ready");
      client.query("r1", ChatHarness.fresh("Recommend manga like Naruto"));
      List<JsonObject> answer = client.awaitAnswer("r1");
      String text = ChatClient.text(answer);
      int firstChunk = indexOf(answer, "chunk");
      List<JsonObject> laterCards = answer.subList(firstChunk, answer.size()).stream()
          .filter(f -> "cards".equals(f.getString("type"))).toList();
      assertFalse(laterCards.isEmpty(), "cards keep arriving while the text streams: " + answer);
      for (JsonObject frame : laterCards) {
        String title = frame.getJsonArray("items").getJsonObject(0).getString("title");
        assertTrue(text.contains(title), "a progressive card is for a title the text names: " + title);
      }
      assertEquals("recommendation", ChatClient.last(answer).getJsonObject("metadata").getString("intent"));
    }
  }

  @Test
  void greetingsAndPolicyQuestionsGetNoCatalogTitles() throws Exception {
    try (ChatClient client = harness.connect("policy-user")) {
      client.awaitType("ready");
      for (String[] asked : List.of(new String[] {"hello there, hope you're doing well", "greeting"},
          new String[] {"do i pay for return shipping", "faq"})) {
        client.query(asked[1], ChatHarness.fresh(asked[0]));
        List<JsonObject> answer = client.awaitAnswer(asked[1]);
        JsonObject metadata = ChatClient.last(answer).getJsonObject("metadata");
        assertEquals(asked[1], metadata.getString("intent"));
        assertEquals("model", metadata.getString("source"));
        assertEquals(-1, indexOf(answer, "cards"), "no product cards for \"" + asked[0] + "\": " + answer);
        assertFalse(metadata.getJsonObject("timings").containsKey("retrieval_ms"), "the catalog was not searched");
      }
      // a search without a named title still searches, and shows what it found
      client.query("s1", ChatHarness.fresh("any dark fantasy manga with great art?"));
      List<JsonObject> search = client.awaitAnswer("s1");
      assertTrue(ChatClient.last(search).getJsonObject("metadata").getJsonObject("timings")
          .containsKey("retrieval_ms"));
      assertFalse(cards(search).isEmpty(), "cards of the titles found: " + search);
    }
  }

  /**
   * The catalog is searched by meaning as well as by words: no synopsis says "going back in time", but Tokyo
   * Revengers is about it, and only the vector half of the search (begun on the words, finished with the embedding)
   * finds it among the five best.
   */
  @Test
  void aBrowsingQuestionFindsTitlesByMeaningNotOnlyByWords() throws Exception {
    List<JsonObject> answer = harness.ask("meaning-user",
        ChatHarness.fresh("any manga about going back in time to stop a murder?"));
    List<String> shown = answer.stream().filter(f -> "cards".equals(f.getString("type")))
        .flatMap(f -> f.getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("titleId")))
        .toList();
    assertTrue(shown.contains("tokyo-revengers"), "cards shown: " + shown);
  }

  @Test
  void aLongQuestionIsServedFromTheCacheOnlyForItsExactText() throws Exception {
    // longer than the 256 characters that are embedded: two questions that differ only after them share a vector
    String context = "Reference " + ThreadLocalRandom.current().nextInt(1_000_000) + ". Last year I read many long"
        + " fantasy series, mostly ones with political intrigue, large casts, wars between kingdoms and detailed world"
        + " building, and I enjoyed the slow build of the story more than the fights, so I am looking for the next long"
        + " series to start this winter. ";
    String asked = context + "Which one has the most beautiful art?";
    JsonObject first = answer("long-1", asked);
    assertEquals("model", first.getString("source"));
    assertEquals(Boolean.TRUE, first.getJsonObject("timings").getValue("embedded_in_part"));
    JsonObject other = answer("long-2", context + "Which one is the funniest to read?");
    assertEquals("model", other.getString("source"), "a different question is not answered by its beginning: " + other);
    JsonObject again = answer("long-3", asked);
    assertEquals("cache", again.getString("source"), "the same long question again: " + again);
    assertEquals("exact", again.getString("cache_tier"));
  }

  private static JsonObject answer(String user, String question) throws Exception {
    return ChatClient.last(harness.ask(user, question)).getJsonObject("metadata");
  }

  @Test
  void theSameQuestionIsAnsweredFromTheCacheTheSecondTime() throws Exception {
    // a number unique to this run keeps earlier runs' cache entries (same Redis) out of the way
    String question = "Tell me about Monster by Naoki Urasawa, reference " + ThreadLocalRandom.current().nextInt(1_000_000);
    JsonObject first;
    try (ChatClient client = harness.connect("cache-user-1")) {
      client.awaitType("ready");
      client.query("m1", question);
      first = ChatClient.last(client.awaitAnswer("m1")).getJsonObject("metadata");
    }
    assertEquals("model", first.getString("source"));
    try (ChatClient client = harness.connect("cache-user-2")) {
      client.awaitType("ready");
      client.query("m2", question);
      List<JsonObject> answer = client.awaitAnswer("m2");
      JsonObject second = ChatClient.last(answer).getJsonObject("metadata");
      assertEquals("cache", second.getString("source"), "metadata: " + second);
      assertEquals("exact", second.getString("cache_tier"));
      assertNull(second.getValue("model_first_token_ms"), "no model ran");
      // its words are sure (EarlyStart), and the exact tier, looked up first, answered before any model call
      assertEquals("pending", second.getJsonObject("timings").getString("early_start"));
      assertFalse(ChatClient.text(answer).isBlank());
    }
  }

  @Test
  void anAnswerCachedForTheMeaningCancelsTheModelCallStartedEarly() throws Exception {
    // the words are sure (product_info about a named title), so the model is called before the embedding; the
    // embedding then finds the first shopper's answer by meaning, and the started call gives way to it
    int reference = ThreadLocalRandom.current().nextInt(1_000_000);
    List<JsonObject> first = harness.ask("meaning-1", "what is Berserk about, reference " + reference);
    assertEquals("model", ChatClient.last(first).getJsonObject("metadata").getString("source"));
    List<JsonObject> second = harness.ask("meaning-2", "what is the manga Berserk about, reference " + reference);
    JsonObject metadata = ChatClient.last(second).getJsonObject("metadata");
    assertEquals("cache", metadata.getString("source"), "metadata: " + metadata);
    assertEquals("semantic", metadata.getString("cache_tier"));
    assertEquals("abandoned", metadata.getJsonObject("timings").getString("early_start"));
    assertNull(metadata.getValue("model"), "the cancelled call is not the answer's model");
    assertNull(metadata.getValue("model_first_token_ms"));
    assertEquals(ChatClient.text(first), ChatClient.text(second),
        "the cached answer, nothing of the cancelled call");
    assertEquals(cards(first), cards(second));
  }

  @Test
  void liveStockQuestionsAreNeverServedFromTheCache() throws Exception {
    String question = "Is Berserk volume 41 in stock? ref " + ThreadLocalRandom.current().nextInt(1_000_000);
    for (String user : List.of("stock-1", "stock-2")) {
      try (ChatClient client = harness.connect(user)) {
        client.awaitType("ready");
        client.query("s", question);
        assertEquals("model", ChatClient.last(client.awaitAnswer("s")).getJsonObject("metadata").getString("source"));
      }
    }
  }

  private static JsonArray cards(List<JsonObject> frames) {
    return frames.stream().filter(f -> "cards".equals(f.getString("type"))).findFirst()
        .map(f -> f.getJsonArray("items")).orElse(new JsonArray());
  }

  private static int indexOf(List<JsonObject> frames, String type) {
    for (int i = 0; i < frames.size(); i++) {
      if (type.equals(frames.get(i).getString("type"))) {
        return i;
      }
    }
    return -1;
  }

}
