package com.mangaassist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.store.CacheLookup.Outcome;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of the cache that need no Redis: normalisation, scope keys, guards, policy, entry encoding. */
class SemanticCacheGuardsTest {

  @Test
  void normalisationErasesCaseSpacingTrailingPunctuationAndFullWidthForms() {
    assertEquals("what is pluto about", QuestionNormalizer.normalize("  What is  Pluto\tabout？？ "));
    assertEquals("don't you ship", QuestionNormalizer.normalize("Don\u2019t you ship?!"));
    assertEquals("synopsis of vol. 3", QuestionNormalizer.normalize("Synopsis of vol. 3..."));
    assertEquals("one piece", QuestionNormalizer.normalize("ＯＮＥ ＰＩＥＣＥ"));
  }

  @Test
  void scopeKeyIgnoresEntityOrderButNotAnyField() {
    CacheScope a = new CacheScope("comparison", List.of("naruto", "bleach"), List.of(2, 1), "v1", 1, null);
    CacheScope b = new CacheScope("comparison", List.of("bleach", "naruto", "naruto"), List.of(1, 2), "v1", 1, null);
    assertEquals(a.key(), b.key());
    assertNotEquals(a.key(), new CacheScope("comparison", List.of("naruto", "bleach"), List.of(1, 2), "v2", 1, null).key());
    assertNotEquals(a.key(), new CacheScope("comparison", List.of("naruto", "bleach"), List.of(1, 2), "v1", 2, null).key());
    assertNotEquals(a.key(), new CacheScope("comparison", List.of("naruto", "bleach"), List.of(1, 2), "v1", 1, "u").key());
    assertNotEquals(a.key(), new CacheScope("comparison", List.of("naruto"), List.of(1, 2), "v1", 1, null).key());
    // no separator ambiguity between fields
    assertNotEquals(
        new CacheScope("a", List.of("b,c"), List.of(), "v", 1, null).key(),
        new CacheScope("a", List.of("b", "c"), List.of(), "v", 1, null).key());
  }

  @Test
  void policyKeepsTheUserOnlyForPersonalIntentsAndRefusesLiveDataIntents() {
    CachePolicy policy = new CachePolicy(new JsonObject());
    assertEquals("alice", policy.scope("order_status", List.of(), List.of(), "v1", 1, "alice").userId());
    assertEquals(null, policy.scope("recommendation", List.of(), List.of(), "v1", 1, "alice").userId());
    for (String intent : List.of("availability", "purchase", "latest_volume", "order_status", "complaint")) {
      assertTrue(!policy.cacheable(intent), intent);
    }
    assertTrue(policy.cacheable("recommendation"));
    assertTrue(!new CachePolicy(new JsonObject().put("enabled", false)).cacheable("recommendation"));
  }

  @Test
  void negationOnOneSideOnlyIsVetoed() {
    assertEquals(Optional.of(Outcome.NEGATION_GUARD), veto("manga like berserk", "manga like berserk but not so dark"));
    assertEquals(Optional.of(Outcome.NEGATION_GUARD), veto("is it violent", "it isn't violent"));
    assertEquals(Optional.of(Outcome.NEGATION_GUARD), veto("sports manga", "sports manga except basketball"));
    assertEquals(Optional.of(Outcome.NEGATION_GUARD), veto("manga like aot", "manga like aot other than tokyo ghoul"));
    assertEquals(Optional.empty(), veto("manga like berserk but not so dark", "manga like berserk, not as dark"));
    // "not" inside a word is no negation
    assertEquals(Optional.empty(), veto("notable manga like monster", "notable manga similar to monster"));
  }

  @Test
  void differingNumbersAreVetoedWhetherDigitsOrWords() {
    assertEquals(Optional.of(Outcome.NUMBER_GUARD), veto("one piece volume 3", "one piece volume 4"));
    assertEquals(Optional.of(Outcome.NUMBER_GUARD), veto("naruto volume three", "naruto volume four"));
    assertEquals(Optional.of(Outcome.NUMBER_GUARD), veto("top 5 like frieren", "top 10 like frieren"));
    assertEquals(Optional.empty(), veto("naruto volume three", "naruto vol 3"));
    assertEquals(Optional.empty(), veto("one piece vol 03", "one piece volume 3"));
    assertEquals(Optional.empty(), veto("manga like one piece", "one piece like manga"));
  }

  @Test
  void aQuotedTermMustAppearInTheOtherQuestion() {
    assertEquals(Optional.of(Outcome.QUOTED_TERM_GUARD), veto("manga like \"Monster\"", "manga like \"Pluto\""));
    assertEquals(Optional.empty(), veto("manga like \"Monster\"", "manga like monster please"));
  }

  @Test
  void embeddingsSurviveTheirCompactEncoding() {
    float[] vector = new HashingTestEmbedder().embed("recommend manga like one piece");
    float[] decoded = PrecomputedAnswer.decode(PrecomputedAnswer.encode(vector));
    assertEquals(vector.length, decoded.length);
    for (int i = 0; i < vector.length; i++) {
      assertEquals(vector[i], decoded[i]);
    }
  }

  private static Optional<Outcome> veto(String a, String b) {
    return NearMissGuards.veto(a, QuestionNormalizer.normalize(a), b, QuestionNormalizer.normalize(b));
  }
}
