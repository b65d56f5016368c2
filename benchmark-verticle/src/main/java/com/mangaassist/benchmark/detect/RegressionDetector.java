package com.mangaassist.benchmark.detect;

import com.mangaassist.benchmark.baseline.BaselineStore;
import com.mangaassist.benchmark.compare.Decision;
import com.mangaassist.benchmark.compare.Finding;
import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.Metric;
import com.mangaassist.benchmark.compare.MetricComparison;
import com.mangaassist.benchmark.compare.PersistenceGate;
import com.mangaassist.benchmark.compare.RegressionSettings;
import com.mangaassist.benchmark.compare.RunComparator;
import com.mangaassist.benchmark.compare.RunComparison;
import com.mangaassist.benchmark.replay.ReplayRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each replay against the rolling baseline: every intent with a baseline is compared ({@link RunComparator},
 * on a worker: the bootstrap and Hodges-Lehmann over a pooled baseline take tens of milliseconds), the findings go
 * through the {@link PersistenceGate} (runs must be fed in order, one detector per process), the
 * {@link RegressionActions} act on the decisions, and a run with nothing SEV-2 or worse joins the baseline.
 */
public final class RegressionDetector {

  private static final Logger LOG = LoggerFactory.getLogger(RegressionDetector.class);

  private final Vertx vertx;
  private final BaselineStore baseline;
  private final RunComparator comparator;
  private final PersistenceGate gate;
  private final RegressionActions actions;

  public RegressionDetector(Vertx vertx, BaselineStore baseline, RegressionSettings settings,
      RegressionActions actions) {
    this.vertx = vertx;
    this.baseline = baseline;
    this.comparator = new RunComparator(settings);
    this.gate = new PersistenceGate(settings.persistenceRuns());
    this.actions = actions;
  }

  public Future<RunVerdict> judge(ReplayRun run) {
    long now = System.currentTimeMillis();
    Map<String, Future<IntentSamples>> reads = new LinkedHashMap<>();
    // Redis down: the run is still reported, judged against nothing, and admitted nowhere
    run.runFile().intents().keySet().forEach(intent -> reads.put(intent,
        baseline.read(BaselineStore.SYNTHETIC, intent, now).otherwise(e -> {
          LOG.warn("baseline of {} unreadable, not compared: {}", intent, e.getMessage());
          return null;
        })));
    Future<JsonObject> versions = baseline.versions().otherwise(e -> new JsonObject());
    List<Future<?>> all = new ArrayList<>(reads.values());
    all.add(versions);
    return Future.all(all)
        .compose(read -> vertx.executeBlocking(() -> compare(run, reads), false))
        .compose(comparison -> {
          List<Finding> findings = comparison.comparisons().stream().map(Finding::of).toList();
          List<Decision> decisions = gate.record(findings);
          Map<String, Integer> sizes = new LinkedHashMap<>();
          reads.forEach((intent, samples) -> sizes.put(intent, samples.result() == null ? 0 : samples.result().count()));
          return actions.act(run, comparison, decisions, versions.result())
              .map(done -> new RunVerdict(run, comparison, decisions, sizes, versions.result(), done.alerts(),
                  done.rollbacks()));
        })
        .compose(verdict -> admit(verdict).map(verdict));
  }

  private RunComparison compare(ReplayRun run, Map<String, Future<IntentSamples>> baselines) {
    List<MetricComparison> comparisons = new ArrayList<>();
    List<String> withoutBaseline = new ArrayList<>();
    run.runFile().intents().forEach((intent, samples) -> {
      IntentSamples base = baselines.get(intent).result();
      if (base == null) {
        withoutBaseline.add(intent);
        return;
      }
      for (Metric metric : Metric.values()) {
        comparisons.add(comparator.compare(intent, metric, base, samples));
      }
    });
    return new RunComparison(comparisons, withoutBaseline);
  }

  /** A run without SEV-2-or-worse findings joins the baseline, and its versions become the baseline's. */
  private Future<Void> admit(RunVerdict verdict) {
    if (!verdict.admissibleToBaseline()) {
      return Future.succeededFuture();
    }
    ReplayRun run = verdict.run();
    return baseline.add(BaselineStore.SYNTHETIC, run.runId(), run.runFile().intents(), System.currentTimeMillis())
        .compose(added -> baseline.rememberVersions(run.versions()))
        .otherwise(e -> {
          LOG.warn("run {} not added to the baseline: {}", run.runId(), e.getMessage());
          return null;
        });
  }
}
