package com.mangaassist.benchmark.compare;

import com.mangaassist.config.ConfigFiles;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * How run comparisons turn statistics into severities: {@code regression} of {@code conf/benchmark.json}, every key
 * optional with the default below. docs/BENCHMARKING.md explains each choice and the false-alarm rate and power
 * they give at n = 50.
 *
 * @param alpha family-wise significance level. A latency verdict needs the tail test or the one-sided Mann-Whitney
 *     test below α/2 (Bonferroni: the pair together stays at α); the first-token target and error-rate tests use α.
 *     0.01 by default: at 96 runs a day, in simulation, α = 0.05 confirmed 0.22 false pages a day across 11 intents
 *     and 0.01 none in 200 days, with almost the same power against a whole-distribution slowdown (each test then
 *     runs at 0.005, the threshold Wikimedia adopted for the same reason)
 * @param confidence two-sided level of every interval (medians, shift, p95 ratio); 0.90 makes each lower end a
 *     one-sided 95 % bound, matching the one-sided question "did it get slower?"
 * @param tolerance practical band (Kayenta's): a latency verdict needs the p95 ratio's lower bound above
 *     1 + tolerance or the shift's lower bound above tolerance × base median, and a first-token verdict evidence of
 *     a p95 above target × (1 + tolerance)
 * @param bootstrapResamples replicates per bootstrap interval
 * @param bootstrapSeed seed of every bootstrap, so the same files always give the same report
 * @param p95Increase bands of the p95 increase over the baseline (0.10 = +10 %)
 * @param firstTokenOverTarget bands of the first-token p95 above its target
 * @param errorRate bands of the new run's error rate
 * @param defaultFirstTokenTargetMs first-token p95 target of intents without their own
 * @param firstTokenTargetMs first-token p95 target per intent
 * @param persistenceRuns consecutive runs a SEV-2 or SEV-1 finding must last before it pages or rolls back
 */
public record RegressionSettings(
    double alpha,
    double confidence,
    double tolerance,
    int bootstrapResamples,
    long bootstrapSeed,
    SeverityBands p95Increase,
    SeverityBands firstTokenOverTarget,
    SeverityBands errorRate,
    double defaultFirstTokenTargetMs,
    Map<String, Double> firstTokenTargetMs,
    int persistenceRuns) {

  /** Seed design: p95 +10 / +25 / +50 % over the baseline. */
  static final SeverityBands P95_INCREASE = new SeverityBands(0.10, 0.25, 0.50);
  /** Seed design: first-token p95 +15 / +30 / +60 % over target. */
  static final SeverityBands FIRST_TOKEN_OVER_TARGET = new SeverityBands(0.15, 0.30, 0.60);
  /** Seed design: 1 / 3 / 10 % of requests failing. */
  static final SeverityBands ERROR_RATE = new SeverityBands(0.01, 0.03, 0.10);
  /** Seed design: first token under 400 ms on Haiku (1100 ms on Sonnet, set per intent in the conf file). */
  static final double FIRST_TOKEN_TARGET_MS = 400;

  public RegressionSettings {
    if (!(alpha > 0 && alpha < 1) || !(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("alpha and confidence must be in (0, 1): " + alpha + ", " + confidence);
    }
    if (tolerance < 0 || bootstrapResamples < 1 || persistenceRuns < 1 || !(defaultFirstTokenTargetMs > 0)) {
      throw new IllegalArgumentException("tolerance ≥ 0, bootstrapResamples ≥ 1, persistenceRuns ≥ 1 and a positive "
          + "first-token target are required");
    }
    firstTokenTargetMs = Map.copyOf(firstTokenTargetMs);
  }

  public static RegressionSettings defaults() {
    return fromJson(new JsonObject());
  }

  /** {@code regression} of {@code conf/benchmark.json} (environment overrides applied), defaults for what is absent. */
  public static RegressionSettings load() {
    JsonObject benchmark = ConfigFiles.load().getJsonObject("benchmark", new JsonObject());
    return fromJson(benchmark.getJsonObject("regression", new JsonObject()));
  }

  public static RegressionSettings fromJson(JsonObject config) {
    JsonObject targets = config.getJsonObject("firstTokenTargetMs", new JsonObject());
    Map<String, Double> perIntent = new HashMap<>();
    for (String intent : targets.fieldNames()) {
      if (!"default".equals(intent)) {
        perIntent.put(intent, targets.getDouble(intent));
      }
    }
    return new RegressionSettings(
        config.getDouble("alpha", 0.01),
        config.getDouble("confidence", 0.90),
        config.getDouble("tolerance", 0.05),
        config.getInteger("bootstrapResamples", 2000),
        config.getLong("bootstrapSeed", 20_240_601L),
        SeverityBands.fromJson(config.getJsonArray("p95IncreaseBands"), P95_INCREASE),
        SeverityBands.fromJson(config.getJsonArray("firstTokenOverTargetBands"), FIRST_TOKEN_OVER_TARGET),
        SeverityBands.fromJson(config.getJsonArray("errorRateBands"), ERROR_RATE),
        targets.getDouble("default", FIRST_TOKEN_TARGET_MS),
        perIntent,
        config.getInteger("persistenceRuns", 2));
  }

  public double firstTokenTargetMs(String intent) {
    return firstTokenTargetMs.getOrDefault(intent, defaultFirstTokenTargetMs);
  }
}
