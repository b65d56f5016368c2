package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.bus.Addresses;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.store.CacheLookup;
import com.mangaassist.store.CacheScope;
import com.mangaassist.store.SemanticCache;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trending questions warmed into the semantic cache: real Redis at REDIS_URL, Haiku behind the emulator, the
 * scope computed here the way the orchestrator computes it for a shopper asking the same question.
 */
class TrendingWarmingTest {

  private static final String KEY = "ma:test:trending:" + UUID.randomUUID();
  private static PrecomputeTestSystem system;
  private static Vertx vertx;
  private static PrecomputeVerticle verticle;
  private static SemanticCache cache;
  private static RedisAPI redis;
  private static TrendingTracker tracker;
  private static JsonObject verticleConfig;

  @BeforeAll
  static void start() throws Exception {
    JsonObject trending = new JsonObject().put("enabled", true).put("key", KEY).put("windowMinutes", 60)
        .put("decay", 0.5).put("topN", 20).put("minWarmCount", 1.5).put("warmEverySeconds", 3600);
    system = PrecomputeTestSystem.start(new JsonObject().put("enabled", false).put("trending", trending));
    vertx = system.vertx;
    verticle = system.verticle;
    verticleConfig = system.config;
    redis = RedisAPI.api(system.redis);
    cache = new SemanticCache(system.redis, system.config.getJsonObject("cache").copy().put("timeoutMs", 2000));
    tracker = new TrendingTracker(redis, trending, Set.of("order_status"), 2000);
  }


  @AfterAll
  static void stop() {
    PrecomputeVerticleTest.await(redis.del(List.of(KEY, KEY + ":landmark")));
    system.close();
  }


  private static void turn(String text, String intent, String... titles) {
    vertx.eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", "s-" + UUID.randomUUID()).put("userId", "u-" + UUID.randomUUID())
        .put("queryId", "q-" + UUID.randomUUID()).put("text", text).put("intent", intent)
        .put("entities", new JsonArray(List.of((Object[]) titles))).put("volumes", new JsonArray())
        .put("answer", "…").put("source", "model").put("model", "haiku").put("at", "2025-01-01T00:00:00Z"));
  }

  @Test
  void aQuestionAskedTwiceIsAnsweredInTheCacheOnceAndOnlyWhenCacheable() throws Exception {
    String ref = UUID.randomUUID().toString().substring(0, 8);
    String story = "Is Vagabond worth reading, ref " + ref + "?";
    String stock = "Is Vagabond in stock, ref " + ref + "?";
    for (int i = 0; i < 2; i++) {
      turn(story, "product_info", "vagabond");
      turn(stock, "availability", "vagabond");
      turn("Where is my order " + ref + "?", "order_status");
    }
    List<TrendingTracker.Trending> top = eventuallyTop(ref, 1.5);
    assertFalse(top.stream().anyMatch(t -> t.intent().equals("order_status")), "personal questions are not counted");

    int stored = PrecomputeVerticleTest.await(verticle.warmNow());
    assertEquals(1, stored, "the availability question is never cached, the story question once");

    // the scope a shopper's turn gets: prompt and catalog version, titles, no user for this intent
    String promptVersion = new JsonObject(Files.readString(ConfigFiles.confDir().resolve("prompts/active.json")))
        .getString("version");
    int catalogVersion = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json")).version();
    CacheScope scope = cache.scope("product_info", List.of("vagabond"), List.of(), promptVersion, catalogVersion,
        "some-shopper");
    CacheLookup lookup = PrecomputeVerticleTest.await(cache.lookup(scope, story, null));
    assertTrue(lookup.hit(), "warmed answer found by the question as a shopper types it: " + lookup);
    assertFalse(lookup.answer().answer().isBlank());
    CacheScope stockScope = cache.scope("availability", List.of("vagabond"), List.of(), promptVersion, catalogVersion,
        "some-shopper");
    assertFalse(PrecomputeVerticleTest.await(cache.lookup(stockScope, stock, null)).hit());

    assertEquals(0, PrecomputeVerticleTest.await(verticle.warmNow()), "already in the cache: not generated again");
    PrecomputeVerticleTest.await(cache.invalidate(scope));
  }

  @Test
  void aCatalogUpdateWarmsAgainTheTrendingQuestionsAboutTheTitlesItTouches() throws Exception {
    String ref = UUID.randomUUID().toString().substring(0, 8);
    String story = "Is Monster by Urasawa worth reading, ref " + ref + "?";
    for (int i = 0; i < 2; i++) {
      turn(story, "product_info", "monster");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (PrecomputeVerticleTest.await(tracker.top(50, System.currentTimeMillis())).stream()
        .noneMatch(t -> t.question().contains(ref) && t.count() > 1.5)) {
      assertTrue(System.nanoTime() < deadline, "the question was never counted twice");
      Thread.sleep(50);
    }
    double catalogRounds = verticle.metrics().count("mangaassist.precompute.warm.rounds", "reason", "catalog");
    vertx.eventBus().publish(Addresses.CATALOG_UPDATED,
        new JsonObject().put("titleIds", new JsonArray().add("monster")).put("catalogVersion", 1));

    String promptVersion = new JsonObject(Files.readString(ConfigFiles.confDir().resolve("prompts/active.json")))
        .getString("version");
    int catalogVersion = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json")).version();
    CacheScope scope = cache.scope("product_info", List.of("monster"), List.of(), promptVersion, catalogVersion, null);
    while (!PrecomputeVerticleTest.await(cache.lookup(scope, story, null)).hit()) {
      assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(15), "never warmed after the update");
      Thread.sleep(100);
    }
    assertTrue(verticle.metrics().count("mangaassist.precompute.warm.rounds", "reason", "catalog") > catalogRounds);
    PrecomputeVerticleTest.await(cache.invalidate(scope));
  }

  @Test
  void theScheduledWarmingRunsAtItsLocalTime() throws Exception {
    // a second instance whose clock reads 17:29:59.5 in Tokyo: its 17:30 warming is half a second away; it counts
    // in a trending key of its own and warms nothing (minWarmCount), so it never races the other tests' cache
    JsonObject config = verticleConfig.copy();
    config.getJsonObject("precompute").getJsonObject("trending").put("key", KEY + ":scheduled")
        .put("minWarmCount", 1e9).put("schedule", new JsonObject().put("zone", "Asia/Tokyo")
            .put("at", new JsonArray().add("17:30")).put("topN", 5));
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-28T08:29:59.500Z"),
        java.time.ZoneOffset.UTC);
    PrecomputeVerticle scheduled = new PrecomputeVerticle(clock);
    String id = PrecomputeVerticleTest.await(vertx.deployVerticle(scheduled, new DeploymentOptions().setConfig(config)));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (scheduled.metrics().count("mangaassist.precompute.warm.rounds", "reason", "schedule") < 1) {
        assertTrue(System.nanoTime() < deadline, "the 17:30 JST warming never ran");
        Thread.sleep(50);
      }
      assertEquals(0.0, scheduled.metrics().count("mangaassist.precompute.warm.rounds", "reason", "periodic"),
          "that was the schedule, not the periodic round (every hour here)");
    } finally {
      PrecomputeVerticleTest.await(vertx.undeploy(id));
      PrecomputeVerticleTest.await(redis.del(List.of(KEY + ":scheduled", KEY + ":scheduled:landmark")));
    }
  }

  private static List<TrendingTracker.Trending> eventuallyTop(String ref, double count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      List<TrendingTracker.Trending> top = PrecomputeVerticleTest.await(tracker.top(50, System.currentTimeMillis()));
      long counted = top.stream().filter(t -> t.question().contains(ref) && t.count() > count).count();
      if (counted >= 2 || System.nanoTime() > deadline) {
        assertEquals(2, counted, "both shop questions counted twice (decayed a little since): " + top);
        return top;
      }
      Thread.sleep(50);
    }
  }
}
