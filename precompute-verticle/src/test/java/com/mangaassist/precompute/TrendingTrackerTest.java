package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.store.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time-decayed trending questions in the real Redis at REDIS_URL, each test under a key of its own. */
class TrendingTrackerTest {

  private static final long HOUR = TimeUnit.HOURS.toMillis(1);
  private static Vertx vertx;
  private static RedisAPI redis;
  private String key;
  private TrendingTracker tracker;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    redis = RedisAPI.api(RedisClients.create(vertx, new JsonObject()
        .put("url", System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @BeforeEach
  void tracker() {
    key = "ma:test:trending:" + UUID.randomUUID();
    tracker = new TrendingTracker(redis, new JsonObject().put("key", key).put("windowMinutes", 60).put("decay", 0.5)
        .put("minCount", 0.1).put("maxTracked", 3), Set.of("order_status"), 2000);
  }

  @AfterEach
  void clean() {
    await(redis.del(List.of(key, key + ":landmark")));
  }

  @Test
  void theMostAskedQuestionLeadsAndSpellingVariantsCountAsOne() {
    long now = System.currentTimeMillis();
    for (String text : List.of("Is One Piece good?", "is one piece  good", "IS ONE PIECE GOOD!!")) {
      assertTrue(await(tracker.record(text, "product_info", List.of("one-piece"), List.of(), now)));
    }
    await(tracker.record("Is Monster good?", "product_info", List.of("monster"), List.of(), now));

    List<TrendingTracker.Trending> top = await(tracker.top(5, now));
    assertEquals(2, top.size());
    assertEquals("is one piece good", top.get(0).question());
    assertEquals("product_info", top.get(0).intent());
    assertEquals(List.of("one-piece"), top.get(0).titleIds());
    assertEquals(3.0, top.get(0).count(), 1e-9);
    assertEquals(1.0, top.get(1).count(), 1e-9);
  }

  @Test
  void personalQuestionsAreNeverCounted() {
    long now = System.currentTimeMillis();
    assertFalse(await(tracker.record("where is my order 12345", "order_status", List.of(), List.of(), now)));
    assertTrue(await(tracker.top(5, now)).isEmpty());
  }

  @Test
  void olderAskingCountsLessAndFadesOutOfTheWindow() {
    long then = System.currentTimeMillis() - 2 * HOUR;
    for (int i = 0; i < 6; i++) {
      await(tracker.record("what is vagabond about", "product_info", List.of("vagabond"), List.of(), then));
    }
    long now = then + 2 * HOUR;
    await(tracker.record("what is pluto about", "product_info", List.of("pluto"), List.of(), now));
    await(tracker.record("what is pluto about", "product_info", List.of("pluto"), List.of(), now));

    List<TrendingTracker.Trending> top = await(tracker.top(5, now));
    assertEquals("what is pluto about", top.get(0).question(), "2 asked now beat 6 asked two windows ago: " + top);
    assertEquals(2.0, top.get(0).count(), 1e-9);
    assertEquals(1.5, top.get(1).count(), 1e-9, "6 × 0.5²");

    // five windows later the old question decayed below minCount and left the set on the next write
    long later = then + 7 * HOUR;
    await(tracker.record("what is akira about", "product_info", List.of("akira"), List.of(), later));
    List<String> left = await(tracker.top(5, later)).stream().map(TrendingTracker.Trending::question).toList();
    assertFalse(left.contains("what is vagabond about"), left.toString());
    assertEquals("what is akira about", left.get(0));
  }

  @Test
  void theSetKeepsOnlyTheMostAskedWhenFull() {
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) {
      for (int n = 0; n <= i; n++) {
        await(tracker.record("question " + i, "faq", List.of(), List.of(), now));
      }
    }
    List<String> kept = await(tracker.top(10, now)).stream().map(TrendingTracker.Trending::question).toList();
    assertEquals(List.of("question 4", "question 3", "question 2"), kept);
  }

  private static <T> T await(Future<T> future) {
    return future.timeout(10, TimeUnit.SECONDS).await();
  }
}
