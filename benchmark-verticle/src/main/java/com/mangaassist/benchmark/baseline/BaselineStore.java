package com.mangaassist.benchmark.baseline;

import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.Metric;
import com.mangaassist.store.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rolling baseline in Redis: per source ({@code synthetic} replay or {@code production} turns), intent and metric,
 * the samples of the last {@code windowDays}, at most {@code maxSamples} of the newest, as sorted sets scored by when
 * each was taken, so expiry is one range delete and the window one range read (keys in {@link RedisKeys}).
 *
 * <p>Sources are kept apart because they time different things: replay measures at the client, production turns at
 * the server, and a change in the traffic mix would otherwise look like a regression.
 *
 * <p>The cap keeps a comparison cheap (Hodges-Lehmann looks at every pair) and, at 50 samples a run, still pools
 * 40 runs: far more than enough to make the baseline's own noise negligible next to the new run's.
 */
public final class BaselineStore {

  public static final String SYNTHETIC = "synthetic";
  public static final String PRODUCTION = "production";

  private final RedisAPI redis;
  private final long windowMs;
  private final int maxSamples;

  /** {@code config}: {@code windowDays} (7), {@code maxSamples} (2000). */
  public BaselineStore(RedisAPI redis, JsonObject config) {
    this.redis = redis;
    this.windowMs = (long) (config.getDouble("windowDays", 7.0) * 86_400_000L);
    this.maxSamples = config.getInteger("maxSamples", 2000);
  }

  /** Adds one run's measured samples of every intent, taken at {@code atMillis}, and trims the window. */
  public Future<Void> add(String source, String runId, Map<String, IntentSamples> intents, long atMillis) {
    List<Future<?>> writes = new ArrayList<>();
    intents.forEach((intent, samples) -> {
      for (Metric metric : Metric.values()) {
        List<String> members = new ArrayList<>();
        double[] values = samples.samples(metric);
        for (int i = 0; i < values.length; i++) {
          members.add(runId + ":" + i + ":" + values[i]);
        }
        writes.add(addAndTrim(RedisKeys.benchBaseline(source, intent, metric.key()), members, atMillis));
      }
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < samples.count(); i++) {
        outcomes.add(runId + ":" + i + ":" + (i < samples.errors() ? "err" : "ok"));
      }
      writes.add(addAndTrim(RedisKeys.benchBaselineOutcomes(source, intent), outcomes, atMillis));
    });
    return Future.all(writes).mapEmpty();
  }

  /** Adds one sampled production turn. */
  public Future<Void> addTurn(String intent, String turnId, double firstTokenMs, double totalMs, long atMillis) {
    return Future.all(
        addAndTrim(RedisKeys.benchBaseline(PRODUCTION, intent, Metric.TTFT_MS.key()),
            List.of(turnId + ":0:" + firstTokenMs), atMillis),
        addAndTrim(RedisKeys.benchBaseline(PRODUCTION, intent, Metric.TOTAL_MS.key()),
            List.of(turnId + ":0:" + totalMs), atMillis),
        addAndTrim(RedisKeys.benchBaselineOutcomes(PRODUCTION, intent), List.of(turnId + ":0:ok"), atMillis))
        .mapEmpty();
  }

  /** The baseline of one intent as of {@code nowMillis}, or null when the window holds no request of it. */
  public Future<IntentSamples> read(String source, String intent, long nowMillis) {
    String from = Long.toString(nowMillis - windowMs);
    Future<Response> ttft = redis.zrangebyscore(List.of(RedisKeys.benchBaseline(source, intent, Metric.TTFT_MS.key()),
        from, "+inf"));
    Future<Response> total = redis.zrangebyscore(List.of(RedisKeys.benchBaseline(source, intent,
        Metric.TOTAL_MS.key()), from, "+inf"));
    Future<Response> outcomes = redis.zrangebyscore(List.of(RedisKeys.benchBaselineOutcomes(source, intent), from,
        "+inf"));
    return Future.all(ttft, total, outcomes).map(all -> {
      int count = outcomes.result().size();
      if (count == 0) {
        return null;
      }
      int errors = 0;
      for (Response outcome : outcomes.result()) {
        if (outcome.toString().endsWith(":err")) {
          errors++;
        }
      }
      return new IntentSamples(values(ttft.result(), count), values(total.result(), count), errors, count, 0);
    });
  }

  /** The versions that answered the latest run admitted to the baseline: {@code prompt}, {@code routing}. */
  public Future<JsonObject> versions() {
    return redis.hgetall(RedisKeys.benchBaselineVersions()).map(response -> {
      JsonObject versions = new JsonObject();
      if (response != null) {
        for (String key : response.getKeys()) {
          versions.put(key, response.get(key).toString());
        }
      }
      return versions;
    });
  }

  public Future<Void> rememberVersions(JsonObject versions) {
    List<String> args = new ArrayList<>();
    args.add(RedisKeys.benchBaselineVersions());
    versions.forEach(entry -> {
      if (entry.getValue() != null) {
        args.add(entry.getKey());
        args.add(entry.getValue().toString());
      }
    });
    return args.size() == 1 ? Future.succeededFuture() : redis.hset(args).mapEmpty();
  }

  private Future<Void> addAndTrim(String key, List<String> members, long atMillis) {
    if (members.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>();
    args.add(key);
    for (String member : members) {
      args.add(Long.toString(atMillis));
      args.add(member);
    }
    return redis.zadd(args)
        .compose(added -> redis.zremrangebyscore(key, "-inf", "(" + (atMillis - windowMs)))
        .compose(expired -> redis.zremrangebyrank(key, "0", Integer.toString(-maxSamples - 1)))
        .mapEmpty();
  }

  /** The latencies of the newest {@code limit} members (the outcome count), since both sets are capped alike. */
  private static double[] values(Response members, int limit) {
    int size = members.size();
    int from = Math.max(0, size - limit);
    double[] values = new double[size - from];
    for (int i = from; i < size; i++) {
      String member = members.get(i).toString();
      values[i - from] = Double.parseDouble(member.substring(member.lastIndexOf(':') + 1));
    }
    return values;
  }
}
