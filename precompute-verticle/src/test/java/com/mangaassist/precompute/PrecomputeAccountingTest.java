package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.bus.Addresses;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.PrecomputedAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What became of precomputed answers, counted by the verticle from the turns it sees: served hits and the hit rate
 * per trigger intent, and answers that expired unused (waste) with the background tokens they cost. Real Redis,
 * Haiku behind the emulator, a 3-second TTL so that waste shows within the test.
 */
class PrecomputeAccountingTest {

  private static PrecomputeTestSystem system;
  private static Vertx vertx;
  private static PrecomputeVerticle verticle;
  private static PrecomputeStore store;

  @BeforeAll
  static void start() {
    system = PrecomputeTestSystem.start(new JsonObject()
        // priors only: the shared Redis may hold transition counts from other runs
        .put("priorWeight", 1e9)
        .put("wasteSweepMs", 200)
        .put("segments", new JsonObject().put("enabled", false))
        .put("store", new JsonObject().put("ttlSeconds", 3).put("timeoutMs", 1000)));
    vertx = system.vertx;
    verticle = system.verticle;
    store = new PrecomputeStore(system.redis, new JsonObject().put("timeoutMs", 1000));
  }


  @AfterAll
  static void stop() {
    system.close();
  }


  private static void turn(String sessionId, String text, String intent, String source, String answer, String... titles) {
    vertx.eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", sessionId).put("userId", "u-" + sessionId).put("queryId", "q-" + UUID.randomUUID())
        .put("text", text).put("intent", intent).put("entities", new JsonArray(List.of((Object[]) titles)))
        .put("volumes", new JsonArray()).put("answer", answer).put("source", source).put("model", "haiku")
        .put("at", "2025-01-01T00:00:00Z"));
  }

  @Test
  void servedHitsHitRatePerTriggerAndWasteWithItsTokensAreCounted() throws Exception {
    String s = "acct-" + UUID.randomUUID();
    turn(s, "Tell me about Naruto", "product_info", "model", "Naruto is…", "naruto");
    List<PrecomputedAnswer> answers = eventually(() -> PrecomputeVerticleTest.await(store.forSession(s)),
        list -> list.stream().anyMatch(a -> a.source().equals("model")) && list.stream().anyMatch(a -> a.intent().equals("purchase")));
    PrecomputedAnswer buy = answers.stream().filter(a -> a.intent().equals("purchase")).findFirst().orElseThrow();

    // the orchestrator served it: the turn carries the stored text, re-joined sentence by sentence
    String streamed = String.join(" ", buy.answer().split("(?<=[.!?])\\s+")) + " ";
    turn(s, "where can I buy it?", "purchase", "precomputed", streamed, "naruto");
    turn(s, "Do you ship to Canada?", "faq", "model", "Yes, we ship…");

    eventually(() -> verticle.metrics().count("mangaassist.precompute.served", "intent", "purchase",
        "trigger", "product_info"), n -> n == 1);
    assertEquals(1, verticle.metrics().count("mangaassist.precompute.followups", "trigger", "product_info"));
    assertEquals(1, verticle.metrics().count("mangaassist.precompute.hits", "trigger", "product_info"));
    assertEquals(1, verticle.metrics().count("mangaassist.precompute.followups", "trigger", "purchase"));
    assertEquals(0, verticle.metrics().count("mangaassist.precompute.hits", "trigger", "purchase"));
    assertEquals(1.0, verticle.metrics().gauge("mangaassist.precompute.hit.rate", "trigger", "product_info"));
    assertEquals(0.0, verticle.metrics().gauge("mangaassist.precompute.hit.rate", "trigger", "purchase"));

    // three seconds on, everything else of the first turn expired unused: waste, with its Haiku tokens
    int stored = answers.size();
    double wasted = eventually(() -> verticle.metrics().sum("mangaassist.precompute.wasted"), n -> n >= stored - 1);
    assertTrue(wasted >= stored - 1, "every unserved answer of the first turn: " + wasted);
    assertEquals(0, verticle.metrics().count("mangaassist.precompute.wasted", "intent", "purchase"),
        "the served answer is not waste");
    int modelTokens = answers.stream().filter(a -> a.source().equals("model")).mapToInt(PrecomputedAnswer::tokens).sum();
    assertTrue(modelTokens > 0);
    assertTrue(verticle.metrics().sum("mangaassist.precompute.wasted.tokens") >= modelTokens,
        "the tokens the expired model answers cost");
  }

  private static <T> T eventually(java.util.function.Supplier<T> supplier, java.util.function.Predicate<T> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    T value = supplier.get();
    while (!condition.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition never held; last value: " + value);
      }
      Thread.sleep(50);
      value = supplier.get();
    }
    return value;
  }
}
