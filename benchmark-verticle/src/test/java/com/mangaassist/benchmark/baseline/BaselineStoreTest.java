package com.mangaassist.benchmark.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.store.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rolling baseline against the real Redis, each test under intents of its own. */
class BaselineStoreTest {

  private static final long DAY_MS = 86_400_000L;
  private static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379")
      .replaceAll("/\\d*$", "") + "/7";

  private Vertx vertx;
  private Redis redis;
  private RedisAPI api;
  private final String intent = "test-" + UUID.randomUUID();

  @BeforeEach
  void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, REDIS_URL);
    api = RedisAPI.api(redis);
  }

  @AfterEach
  void cleanUp() throws Exception {
    List<String> keys = new ArrayList<>();
    for (String source : List.of(BaselineStore.SYNTHETIC, BaselineStore.PRODUCTION)) {
      keys.add(RedisKeys.benchBaseline(source, intent, "ttft_ms"));
      keys.add(RedisKeys.benchBaseline(source, intent, "total_ms"));
      keys.add(RedisKeys.benchBaselineOutcomes(source, intent));
    }
    api.del(keys).await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static IntentSamples run(double first, int count, int errors) {
    double[] ttft = new double[count - errors];
    double[] total = new double[count - errors];
    for (int i = 0; i < ttft.length; i++) {
      ttft[i] = first + i;
      total[i] = 10 * (first + i);
    }
    return new IntentSamples(ttft, total, errors, count, 2);
  }

  @Test
  void poolsRunsInsideTheWindowAndForgetsOlderOnes() throws Exception {
    BaselineStore store = new BaselineStore(api, new JsonObject().put("windowDays", 7));
    long now = System.currentTimeMillis();
    store.add(BaselineStore.SYNTHETIC, "old", Map.of(intent, run(900, 3, 0)), now - 8 * DAY_MS)
        .await(10, TimeUnit.SECONDS);
    store.add(BaselineStore.SYNTHETIC, "a", Map.of(intent, run(100, 3, 1)), now - DAY_MS).await(10, TimeUnit.SECONDS);
    store.add(BaselineStore.SYNTHETIC, "b", Map.of(intent, run(200, 2, 0)), now).await(10, TimeUnit.SECONDS);

    IntentSamples pooled = store.read(BaselineStore.SYNTHETIC, intent, now).await(10, TimeUnit.SECONDS);

    assertEquals(5, pooled.count(), "the 8-day-old run is outside the window");
    assertEquals(1, pooled.errors());
    assertArrayEquals(new double[] {100, 101, 200, 201}, pooled.ttftMs());
    assertArrayEquals(new double[] {1000, 1010, 2000, 2010}, pooled.totalMs());
    assertEquals(0, pooled.warmupDiscarded());
    assertNull(store.read(BaselineStore.PRODUCTION, intent, now).await(10, TimeUnit.SECONDS),
        "production samples are kept apart from synthetic ones");
  }

  @Test
  void keepsOnlyTheNewestSamplesBeyondTheCap() throws Exception {
    BaselineStore store = new BaselineStore(api, new JsonObject().put("maxSamples", 4));
    long now = System.currentTimeMillis();
    store.add(BaselineStore.SYNTHETIC, "a", Map.of(intent, run(100, 3, 0)), now - 2000).await(10, TimeUnit.SECONDS);
    store.add(BaselineStore.SYNTHETIC, "b", Map.of(intent, run(200, 3, 0)), now - 1000).await(10, TimeUnit.SECONDS);

    IntentSamples pooled = store.read(BaselineStore.SYNTHETIC, intent, now).await(10, TimeUnit.SECONDS);

    assertEquals(4, pooled.count());
    assertArrayEquals(new double[] {102, 200, 201, 202}, pooled.ttftMs());
  }

  @Test
  void productionTurnsFormABaselineOfTheirOwn() throws Exception {
    BaselineStore store = new BaselineStore(api, new JsonObject());
    long now = System.currentTimeMillis();
    store.addTurn(intent, "s1/q1", 12.5, 300.0, now).await(10, TimeUnit.SECONDS);
    store.addTurn(intent, "s1/q2", 14.0, 280.0, now).await(10, TimeUnit.SECONDS);

    IntentSamples production = store.read(BaselineStore.PRODUCTION, intent, now).await(10, TimeUnit.SECONDS);

    assertEquals(2, production.count());
    assertEquals(0, production.errors());
    assertArrayEquals(new double[] {12.5, 14.0}, production.ttftMs());
    assertArrayEquals(new double[] {300.0, 280.0}, production.totalMs());
  }

  @Test
  void samplerTakesModelAnswersOnlyAndNoneAtFractionZero() throws Exception {
    BaselineStore store = new BaselineStore(api, new JsonObject());
    JsonObject modelTurn = new JsonObject().put("intent", intent).put("source", "model").put("sessionId", "s")
        .put("queryId", "q1").put("first_token_ms", 20.0).put("total_ms", 400.0);
    ProductionSampler everyTurn = new ProductionSampler(store, new JsonObject().put("fraction", 1.0));
    ProductionSampler noTurn = new ProductionSampler(store, new JsonObject().put("fraction", 0.0));

    assertEquals(true, everyTurn.offer(modelTurn).await(10, TimeUnit.SECONDS));
    assertEquals(false, everyTurn.offer(modelTurn.copy().put("queryId", "q2").put("source", "cache"))
        .await(10, TimeUnit.SECONDS));
    assertEquals(false, noTurn.offer(modelTurn.copy().put("queryId", "q3")).await(10, TimeUnit.SECONDS));

    IntentSamples production = store.read(BaselineStore.PRODUCTION, intent, System.currentTimeMillis())
        .await(10, TimeUnit.SECONDS);
    assertEquals(1, production.count());
    assertArrayEquals(new double[] {20.0}, production.ttftMs());
  }
}
