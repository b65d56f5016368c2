package com.mangaassist.benchmark.detect;

import com.mangaassist.benchmark.compare.Decision;
import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.MetricComparison;
import com.mangaassist.benchmark.compare.RunComparison;
import com.mangaassist.benchmark.compare.Severity;
import com.mangaassist.benchmark.replay.ReplayRun;
import com.mangaassist.benchmark.stats.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * One run judged against the baseline: its comparisons (intents with a baseline), the persistence gate's decision for
 * each (same order), and what was done about them. Its JSON is the run summary of {@code mangaassist.bench.result}
 * and of the {@code mangaassist.bench.run} reply.
 *
 * @param baselineSizes measured requests per intent in the baseline window (intents without one are not compared)
 * @param baselineVersions the versions that answered the latest run admitted to the baseline
 * @param alerts the alerts published ({@code mangaassist.alerts} bodies)
 * @param rollbacks the rollbacks published ({@code mangaassist.ops.rollback} bodies)
 */
public record RunVerdict(ReplayRun run, RunComparison comparison, List<Decision> decisions,
    Map<String, Integer> baselineSizes, JsonObject baselineVersions, List<JsonObject> alerts,
    List<JsonObject> rollbacks) {

  public Severity worstSeverity() {
    return comparison.comparisons().stream().map(MetricComparison::severity).reduce(Severity.NONE, Severity::max);
  }

  /** Whether this run may join the baseline: nothing SEV-2 or worse, so a regression never becomes the new normal. */
  public boolean admissibleToBaseline() {
    return !worstSeverity().atLeast(Severity.SEV_2);
  }

  public JsonObject toJson() {
    JsonObject intents = new JsonObject();
    run.runFile().intents().forEach((intent, samples) -> intents.put(intent, intentSummary(intent, samples)));
    JsonArray verdicts = new JsonArray();
    for (int i = 0; i < comparison.comparisons().size(); i++) {
      Decision decision = decisions.get(i);
      verdicts.add(comparison.comparisons().get(i).toJson()
          .put("action", decision.action().label())
          .put("consecutive_runs", decision.consecutiveRuns()));
    }
    return new JsonObject()
        .put("runId", run.runId())
        .put("target", run.runFile().target())
        .put("started", run.runFile().started())
        .put("options", run.options().toJson())
        .put("versions", run.versions())
        .put("baselineVersions", baselineVersions)
        .put("severity", worstSeverity().label())
        .put("intents", intents)
        .put("verdicts", verdicts)
        .put("unmatchedIntents", new JsonArray(comparison.unmatchedIntents()))
        .put("alerts", new JsonArray(alerts))
        .put("rollbacks", new JsonArray(rollbacks))
        .put("admittedToBaseline", admissibleToBaseline());
  }

  private JsonObject intentSummary(String intent, IntentSamples samples) {
    return new JsonObject()
        .put("count", samples.count())
        .put("errors", samples.errors())
        .put("warmup_discarded", samples.warmupDiscarded())
        .put("baseline_count", baselineSizes.getOrDefault(intent, 0))
        .put("ttft_p50", percentile(samples.ttftMs(), 0.5))
        .put("ttft_p95", percentile(samples.ttftMs(), 0.95))
        .put("total_p50", percentile(samples.totalMs(), 0.5))
        .put("total_p95", percentile(samples.totalMs(), 0.95));
  }

  private static Double percentile(double[] samples, double quantile) {
    return samples.length == 0 ? null : Percentiles.of(samples, quantile);
  }
}
