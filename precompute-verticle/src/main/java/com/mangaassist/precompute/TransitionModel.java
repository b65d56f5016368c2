package com.mangaassist.precompute;

import com.mangaassist.store.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * P(next intent | current intent): configured priors blended with the transitions actually observed.
 *
 * <p>Dirichlet smoothing with the prior as pseudo-counts: with {@code n(a→b)} the observed count, {@code N(a)} all
 * transitions out of {@code a} and {@code α} the prior weight,
 * <pre>  P(b | a) = (n(a→b) + α · prior(b | a)) / (N(a) + α)</pre>
 * With no traffic this is the prior; after {@code α} observed transitions out of {@code a} the data weighs as much
 * as the prior; the estimate stays a distribution (sums to 1 when the priors do). An intent without priors gets a
 * uniform prior over the known intents.
 *
 * <p>Counts live in the Redis hash {@code ma:transitions} ({@code precompute.transitionsKey}; fields {@code a>b} and totals {@code a>*}), shared by
 * every instance: each observation is an {@code HINCRBY} (fire and forget), and the local copy is refreshed
 * periodically from Redis. Only called on the verticle's event loop.
 */
final class TransitionModel {

  record Prediction(String intent, double probability) {}

  private final Map<String, Map<String, Double>> priors = new HashMap<>();
  private final Set<String> intents = new LinkedHashSet<>();
  private final double priorWeight;
  private final String key;
  private Map<String, Long> counts = new HashMap<>();

  TransitionModel(JsonObject priorsConfig, double priorWeight) {
    this(priorsConfig, priorWeight, RedisKeys.transitions());
  }

  /** {@code key}: the Redis hash of the counts (a separate one starts a separate history, e.g. an evaluation run). */
  TransitionModel(JsonObject priorsConfig, double priorWeight, String key) {
    this.key = key;
    if (priorWeight <= 0) {
      throw new IllegalArgumentException("priorWeight must be > 0: " + priorWeight);
    }
    this.priorWeight = priorWeight;
    for (String from : priorsConfig.fieldNames()) {
      intents.add(from);
      Map<String, Double> row = new HashMap<>();
      JsonObject targets = priorsConfig.getJsonObject(from);
      for (String to : targets.fieldNames()) {
        row.put(to, ((Number) targets.getValue(to)).doubleValue());
        intents.add(to);
      }
      double sum = row.values().stream().mapToDouble(Double::doubleValue).sum();
      if (sum <= 0) {
        throw new IllegalArgumentException("priors of " + from + " sum to " + sum);
      }
      // normalise, so a hand-edited row that sums to 0.98 is still a distribution
      row.replaceAll((to, p) -> p / sum);
      priors.put(from, row);
    }
  }

  /** Every intent with its probability after {@code from}, most likely first. */
  List<Prediction> next(String from) {
    Set<String> targets = new LinkedHashSet<>(intents);
    long total = counts.getOrDefault(from + ">*", 0L);
    for (String field : counts.keySet()) {
      if (field.startsWith(from + ">") && !field.endsWith(">*")) {
        targets.add(field.substring(from.length() + 1));
      }
    }
    List<Prediction> predictions = new ArrayList<>();
    for (String to : targets) {
      predictions.add(new Prediction(to, probability(from, to, total, targets.size())));
    }
    predictions.sort(Comparator.comparingDouble(Prediction::probability).reversed());
    return predictions;
  }

  double probability(String from, String to) {
    return probability(from, to, counts.getOrDefault(from + ">*", 0L), intents.size());
  }

  private double probability(String from, String to, long total, int targetCount) {
    Map<String, Double> row = priors.get(from);
    double prior = row != null ? row.getOrDefault(to, 0.0) : 1.0 / Math.max(1, targetCount);
    long observed = counts.getOrDefault(from + ">" + to, 0L);
    return (observed + priorWeight * prior) / (total + priorWeight);
  }

  /** Counts one transition locally and in Redis (the Redis write may fail: the local count still holds). */
  Future<Void> observe(RedisAPI redis, String from, String to, long timeoutMs) {
    counts.merge(from + ">" + to, 1L, Long::sum);
    counts.merge(from + ">*", 1L, Long::sum);
    return Future.join(
            redis.hincrby(key, from + ">" + to, "1").timeout(timeoutMs, TimeUnit.MILLISECONDS),
            redis.hincrby(key, from + ">*", "1").timeout(timeoutMs, TimeUnit.MILLISECONDS))
        .mapEmpty();
  }

  /** Replaces the local counts with Redis's (which include other instances' observations). */
  Future<Void> refresh(RedisAPI redis, long timeoutMs) {
    return redis.hgetall(key).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(response -> {
      Map<String, Long> fresh = new HashMap<>();
      if (response != null) {
        for (String field : response.getKeys()) {
          Response value = response.get(field);
          fresh.put(field, value == null ? 0L : value.toLong());
        }
      }
      counts = fresh;
      return null;
    });
  }

  static TransitionModel from(JsonObject config) {
    return new TransitionModel(config.getJsonObject("priors", new JsonObject()), config.getDouble("priorWeight", 20.0),
        config.getString("transitionsKey", RedisKeys.transitions()));
  }
}
