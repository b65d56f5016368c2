package com.mangaassist.launcher.jmh;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.store.CacheLookup;
import com.mangaassist.store.CacheScope;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SemanticCache;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The semantic cache branch of the fan-out against the real Redis at {@code REDIS_URL} (default 127.0.0.1:6379):
 * a scope filled to its bound (64 entries), then an exact hit and a semantic miss (the slower path: every entry of
 * the scope compared). Includes the Redis round trips on loopback, which is what the branch costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CacheLookupBenchmarks {

  private Vertx vertx;
  private SemanticCache cache;
  private CacheScope scope;
  private float[] unrelated;
  private String storedQuestion;

  @Setup
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    JsonObject config = ConfigFiles.load();
    Redis redis = RedisClients.create(vertx, new JsonObject().put("url",
        System.getenv().getOrDefault("REDIS_URL", config.getJsonObject("redis").getString("url", RedisClients.DEFAULT_URL))));
    cache = new SemanticCache(redis, config.getJsonObject("cache").copy().put("timeoutMs", 2000));
    // a scope of its own per run: nothing a shopper asked is touched
    scope = cache.scope("product_info", List.of("one-piece"), List.of(), "jmh-" + UUID.randomUUID(), 1, null);
    MiniLmEmbedder embedder = new MiniLmEmbedder();
    for (int i = 0; i < 64; i++) {
      String question = "tell me something about the manga, variant " + i;
      cache.store(scope, question, embedder.embed(question), "answer " + i, null).await(10, TimeUnit.SECONDS);
      storedQuestion = question;
    }
    unrelated = embedder.embed("do you ship to canada");
  }

  @TearDown
  public void tearDown() throws Exception {
    cache.invalidate(scope).await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public CacheLookup exactHit() throws Exception {
    return cache.lookup(scope, storedQuestion, null).await(5, TimeUnit.SECONDS);
  }

  @Benchmark
  public CacheLookup semanticMissOverAFullScope() throws Exception {
    return cache.lookup(scope, "do you ship to canada", unrelated).await(5, TimeUnit.SECONDS);
  }
}
