package com.mangaassist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
}
