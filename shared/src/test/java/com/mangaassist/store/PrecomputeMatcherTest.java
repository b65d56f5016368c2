package com.mangaassist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.embed.Vectors;
import com.mangaassist.store.PrecomputeMatcher.Outcome;
import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrecomputeMatcherTest {

  private static final long NOW = 1_000_000L;

  private static float[] vec(float... v) {
    return Vectors.normalize(v.clone());
  }

  private static PrecomputedAnswer answer(String question, String masked, String intent, List<String> titles, List<Integer> volumes,
      float[] embedding, long expiresAt) {
    return new PrecomputedAnswer("id-" + question.hashCode() + intent, "s1", "q0", question, masked, intent, titles, volumes,
        embedding, "answer to " + question, new JsonArray(), "catalog", 0, NOW - 10, expiresAt);
  }

  private final PrecomputedAnswer buy = answer("Where can I buy One Piece?", "where can i buy the manga", "purchase", List.of("one-piece"), List.of(),
      vec(1, 0, 0), NOW + 1000);
  private final PrecomputedAnswer stock = answer("Is One Piece in stock?", "is the manga in stock", "availability", List.of("one-piece"),
      List.of(), vec(0, 1, 0), NOW + 1000);

  @Test
  void servesSameIntentSameTitleCloseEnough() {
    var d = PrecomputeMatcher.decide(List.of(stock, buy), "where can I buy it?", "purchase", List.of("one-piece"),
        List.of(), vec(1, 0.3f, 0), 0.5, NOW);
    assertEquals(Outcome.SERVED, d.outcome());
    assertSame(buy, d.answer());
  }

  @Test
  void refusesAnotherTitleAnotherIntentOrVolume() {
    assertNull(PrecomputeMatcher.decide(List.of(buy), "where can I buy naruto?", "purchase", List.of("naruto"),
        List.of(), vec(1, 0, 0), 0.5, NOW).answer());
    assertNull(PrecomputeMatcher.decide(List.of(buy), "is it in stock?", "availability", List.of("one-piece"),
        List.of(), vec(1, 0, 0), 0.5, NOW).answer());
    var d = PrecomputeMatcher.decide(List.of(buy), "where can I buy volume 3 of it?", "purchase", List.of("one-piece"),
        List.of(3), vec(1, 0, 0), 0.5, NOW);
    assertEquals(Outcome.NO_CANDIDATE, d.outcome());
    assertNull(PrecomputeMatcher.decide(List.of(buy), "where can I buy it?", "purchase", List.of(),
        List.of(), vec(1, 0, 0), 0.5, NOW).answer());
  }

  @Test
  void refusesBelowThresholdAndExpired() {
    var d = PrecomputeMatcher.decide(List.of(buy), "where can I buy it?", "purchase", List.of("one-piece"), List.of(),
        vec(0.3f, 1, 0), 0.5, NOW);
    assertEquals(Outcome.BELOW_THRESHOLD, d.outcome());
    PrecomputedAnswer expired = answer("Where can I buy One Piece?", "where can i buy the manga", "purchase", List.of("one-piece"), List.of(),
        vec(1, 0, 0), NOW);
    assertEquals(Outcome.NO_CANDIDATE, PrecomputeMatcher.decide(List.of(expired), "where can I buy it?", "purchase",
        List.of("one-piece"), List.of(), vec(1, 0, 0), 0.5, NOW).outcome());
  }

  @Test
  void guardsNegationNumbersAndQuotes() {
    float[] same = vec(1, 0, 0);
    assertEquals(Outcome.NEGATION_GUARD, PrecomputeMatcher.decide(List.of(buy), "where can I not buy it?", "purchase",
        List.of("one-piece"), List.of(), same, 0.5, NOW).outcome());
    assertEquals(Outcome.NUMBER_GUARD, PrecomputeMatcher.decide(List.of(buy), "where can I buy 2 copies of it?",
        "purchase", List.of("one-piece"), List.of(), same, 0.5, NOW).outcome());
  }

  @Test
  void numbersOfTheTitleItselfDoNotVeto() {
    PrecomputedAnswer kaiju = answer("Is Kaiju No. 8 in stock?", "is the manga in stock", "availability", List.of("kaiju-no-8"), List.of(),
        vec(0, 0, 1), NOW + 1000);
    assertSame(kaiju, PrecomputeMatcher.decide(List.of(kaiju), "is it in stock?", "availability",
        List.of("kaiju-no-8"), List.of(), vec(0, 0, 1), 0.5, NOW).answer());
  }

  @Test
  void matchTextWritesReferencesLikeMaskedTitles() {
    assertEquals("where can i buy the manga?", PrecomputeMatcher.matchText("Where can I buy it?"));
    assertEquals("is the manga in stock", PrecomputeMatcher.matchText("is that one in stock"));
    assertEquals("what is the manga about", PrecomputeMatcher.matchText("what is the manga about"));
  }

  @Test
  void answerRoundTripsThroughJson() {
    PrecomputedAnswer back = PrecomputedAnswer.fromJson(buy.toJson());
    assertEquals(buy.question(), back.question());
    assertEquals(buy.titleIds(), back.titleIds());
    assertEquals(1.0, Vectors.cosine(buy.embedding(), back.embedding()), 1e-6);
    assertEquals(buy.expiresAt(), back.expiresAt());
  }

  private static PrecomputedAnswer facet(String question, String masked, List<Integer> volumes, float[] embedding,
      String cue, java.util.Map<Integer, String> perVolume) {
    return new PrecomputedAnswer("id-" + question.hashCode(), "s1", "q0", question, masked, "product_info",
        List.of("erased"), volumes, embedding, "answer to " + question, new JsonArray(), "catalog", 0, NOW - 10,
        NOW + 1000, cue, perVolume);
  }

  private final PrecomputedAnswer price = facet("How much is one volume of Erased?", "how much is one volume of the manga",
      List.of(), vec(1, 1, 0), "\\b(?:how much|price|cost)", null);
  private final PrecomputedAnswer count = facet("How many volumes of Erased are there?",
      "how many volumes of the manga are there", List.of(), vec(1, 0.9f, 0.1f), "\\bhow many\\b", null);
  private final PrecomputedAnswer volumePrice = facet("How much is volume {volume} of Erased?",
      "how much is volume {volume} of the manga", List.of(), vec(1, 1, 0.2f), "\\b(?:how much|price|cost)",
      java.util.Map.of(1, "Vol. 1 of Erased is ¥528.", 3, "Vol. 3 of Erased is ¥528 and out of stock."));

  @Test
  void aCueTellsApartAnswersOfOneIntentAboutOneTitle() {
    // both facets are close to either question in embedding space: the cue decides, never the cosine
    var howMany = PrecomputeMatcher.decide(List.of(price, count), "how many volumes are there", "product_info",
        List.of("erased"), List.of(), vec(1, 1, 0), 0.5, NOW);
    assertSame(count, howMany.answer());
    var howMuch = PrecomputeMatcher.decide(List.of(price, count), "how much does one volume cost", "product_info",
        List.of("erased"), List.of(), vec(1, 0.9f, 0.1f), 0.5, NOW);
    assertSame(price, howMuch.answer());
    var whoWrote = PrecomputeMatcher.decide(List.of(price, count), "who wrote the manga", "product_info",
        List.of("erased"), List.of(), vec(1, 1, 0), 0.5, NOW);
    assertEquals(Outcome.CUE_GUARD, whoWrote.outcome(), "a question with neither cue is not served either facet");
    assertNull(whoWrote.answer());
  }

  @Test
  void aPresentCueRelaxesTheSimilarityBarButNeverRemovesIt() {
    float[] weaklySimilar = vec(1, 0, 0); // cosine 0.71 to price's (1,1,0)
    assertEquals(Outcome.SERVED, PrecomputeMatcher.decide(List.of(price), "price?", "product_info", List.of("erased"),
        List.of(), weaklySimilar, 0.8, NOW).outcome(), "0.71 ≥ 0.7 × 0.8 with the cue present");
    assertEquals(Outcome.BELOW_THRESHOLD, PrecomputeMatcher.decide(List.of(price), "price?", "product_info",
        List.of("erased"), List.of(), vec(0, 0, 1), 0.5, NOW).outcome(), "orthogonal stays a miss");
  }

  @Test
  void aPerVolumeAnswerServesExactlyOneVolumeItKnowsAsTheAnswerWrittenForIt() {
    var three = PrecomputeMatcher.decide(List.of(volumePrice, price), "how much is volume 3", "product_info",
        List.of("erased"), List.of(3), vec(1, 1, 0.2f), 0.5, NOW);
    assertEquals(Outcome.SERVED, three.outcome());
    assertEquals(List.of(3), three.answer().volumes());
    assertEquals("Vol. 3 of Erased is ¥528 and out of stock.", three.answer().answer());
    assertEquals("How much is volume 3 of Erased?", three.answer().question());
    assertEquals(Outcome.NO_CANDIDATE, PrecomputeMatcher.decide(List.of(volumePrice), "how much is volume 7",
        "product_info", List.of("erased"), List.of(7), vec(1, 1, 0.2f), 0.5, NOW).outcome(), "no answer for vol. 7");
    assertEquals(Outcome.NO_CANDIDATE, PrecomputeMatcher.decide(List.of(volumePrice), "how much are volumes 1 and 3",
        "product_info", List.of("erased"), List.of(1, 3), vec(1, 1, 0.2f), 0.5, NOW).outcome(), "two volumes at once");
    var noVolume = PrecomputeMatcher.decide(List.of(volumePrice, price), "how much does one volume cost",
        "product_info", List.of("erased"), List.of(), vec(1, 1, 0.2f), 0.5, NOW);
    assertSame(price, noVolume.answer(), "a question about no volume never gets a per-volume answer");
  }

  @Test
  void cueAndPerVolumeAnswersRoundTripThroughJson() {
    PrecomputedAnswer back = PrecomputedAnswer.fromJson(volumePrice.toJson());
    assertEquals(volumePrice.cue(), back.cue());
    assertEquals(volumePrice.volumeAnswers(), back.volumeAnswers());
    assertNull(PrecomputedAnswer.fromJson(buy.toJson()).cue());
  }

  @Test
  void couldServeIsDecideWithoutTheSimilarity() {
    assertTrue(PrecomputeMatcher.couldServe(List.of(stock, buy), "i want to buy the manga", "purchase",
        List.of("one-piece"), List.of(), NOW), "in scope, no guard: the embedding decides");
    assertFalse(PrecomputeMatcher.couldServe(List.of(buy), "i want to buy the manga", "availability",
        List.of("one-piece"), List.of(), NOW), "another intent");
    assertFalse(PrecomputeMatcher.couldServe(List.of(buy), "i want to buy the manga", "purchase",
        List.of("naruto"), List.of(), NOW), "another title");
    assertFalse(PrecomputeMatcher.couldServe(List.of(buy), "i want to buy the manga", "purchase",
        List.of("one-piece"), List.of(), NOW + 1000), "expired");
    assertFalse(PrecomputeMatcher.couldServe(List.of(buy), "where can i not buy the manga", "purchase",
        List.of("one-piece"), List.of(), NOW), "a negation the prediction lacks");
    assertFalse(PrecomputeMatcher.couldServe(List.of(buy), "where can i buy 2 of the manga", "purchase",
        List.of("one-piece"), List.of(), NOW), "a number the prediction lacks");
    assertFalse(PrecomputeMatcher.couldServe(List.of(price, count), "who wrote the manga", "product_info",
        List.of("erased"), List.of(), NOW), "neither facet's cue");
    assertTrue(PrecomputeMatcher.couldServe(List.of(price, count), "how many are out", "product_info",
        List.of("erased"), List.of(), NOW), "one facet's cue");
    assertTrue(PrecomputeMatcher.couldServe(List.of(volumePrice), "how much is volume 3", "product_info",
        List.of("erased"), List.of(3), NOW), "a volume the per-volume answer knows");
    assertFalse(PrecomputeMatcher.couldServe(List.of(volumePrice), "how much is volume 7", "product_info",
        List.of("erased"), List.of(7), NOW), "a volume it does not");
    assertFalse(PrecomputeMatcher.couldServe(List.of(), "i want to buy the manga", "purchase",
        List.of("one-piece"), List.of(), NOW), "no answers at all");
  }
}
