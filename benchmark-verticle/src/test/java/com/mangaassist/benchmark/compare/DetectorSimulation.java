package com.mangaassist.benchmark.compare;

import com.mangaassist.config.ConfigFiles;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark runs of one intent, each compared with a baseline run by the real {@link RunComparator} and fed to a
 * {@link PersistenceGate}, with latencies drawn from a known {@link SyntheticRuns} model.
 *
 * <p>A baseline may be shared by many consecutive runs, as when every run of a day is compared with the last
 * release's run. That is the harder case for persistence: a baseline that happened to come out fast makes every run
 * compared with it look slow, so false alarms cluster instead of being independent from run to run.
 */
final class DetectorSimulation {

  /** One run every 15 minutes. */
  static final int RUNS_PER_DAY = 96;

  /**
   * A Sonnet-routed intent: first token median 550 ms with p95 ≈ 1.8 × median (σ 0.35), generation median 2.5 s
   * (σ 0.25), 1 % of requests failing.
   */
  static final SyntheticRuns SONNET_LIKE = new SyntheticRuns(550, 0.35, 2500, 0.25, 0.01);

  /**
   * The shipped settings ({@code regression} of conf/benchmark.json) with {@code overrides}, and the first-token
   * target out of reach: the simulations are about regressions against a baseline, and an SLO breach of the
   * modelled system would otherwise count as one.
   */
  static RegressionSettings shippedSettings(JsonObject overrides) {
    JsonObject regression = ConfigFiles.load().getJsonObject("benchmark").getJsonObject("regression").copy();
    regression.put("firstTokenTargetMs", new JsonObject().put("default", 1e9));
    return RegressionSettings.fromJson(regression.mergeIn(overrides));
  }

  private final RegressionSettings settings;
  private final RunComparator comparator;
  private final SyntheticRuns model;
  private final int requestsPerRun;

  DetectorSimulation(RegressionSettings settings, SyntheticRuns model, int requestsPerRun) {
    this.settings = settings;
    this.comparator = new RunComparator(settings);
    this.model = model;
    this.requestsPerRun = requestsPerRun;
  }

  /**
   * Counts over runs of an unchanged system.
   *
   * @param runs runs judged (each gives one comparison per metric)
   * @param comparisons intent-metric comparisons judged
   * @param significant comparisons where a one-sided latency test (tail or Mann-Whitney) was below α/2
   * @param severeVerdicts comparisons judged SEV-2 or SEV-1, before persistence
   * @param mildVerdicts comparisons judged SEV-3
   * @param incidents confirmed SEV-2-or-worse findings: streaks reaching the required length (each pages or rolls
   *     back; a streak that goes on counts once)
   */
  record NoChange(int runs, int comparisons, int significant, int severeVerdicts, int mildVerdicts, int incidents) {

    double perComparison(int count) {
      return (double) count / comparisons;
    }

    /** Confirmed incidents per day of one intent (both metrics) at {@value #RUNS_PER_DAY} runs a day. */
    double incidentsPerDay() {
      return (double) incidents * RUNS_PER_DAY / runs;
    }
  }

  /** {@code baselines} baseline runs, each shared by the next {@code runsPerBaseline} runs; no change anywhere. */
  NoChange noChange(Random random, int baselines, int runsPerBaseline) {
    int significant = 0;
    int severe = 0;
    int mild = 0;
    int incidents = 0;
    for (int b = 0; b < baselines; b++) {
      IntentSamples base = model.draw(random, requestsPerRun, 1.0);
      PersistenceGate gate = new PersistenceGate(settings.persistenceRuns());
      for (int run = 0; run < runsPerBaseline; run++) {
        List<MetricComparison> judged = judge(base, model.draw(random, requestsPerRun, 1.0));
        for (MetricComparison comparison : judged) {
          LatencyStatistics latency = comparison.latency();
          significant += Math.min(latency.tailP(), latency.mannWhitney().pGreater()) < settings.alpha() / 2 ? 1 : 0;
          severe += comparison.severity().atLeast(Severity.SEV_2) ? 1 : 0;
          mild += comparison.severity() == Severity.SEV_3 ? 1 : 0;
        }
        incidents += (int) gate.record(findings(judged)).stream().filter(this::confirmsIncident).count();
      }
    }
    int runs = baselines * runsPerBaseline;
    return new NoChange(runs, runs * Metric.values().length, significant, severe, mild, incidents);
  }

  /**
   * Outcomes of regressions: each episode draws a baseline, then runs of the slowed-down system compared with it.
   *
   * @param episodes regressions simulated
   * @param severeInFirstRun episodes whose first slow run already had a SEV-2-or-worse verdict (either metric)
   * @param verdictInFirstRun episodes whose first slow run had any verdict (SEV-3 or worse)
   * @param pagedBy episodes paged or rolled back by run k, at index k − 1
   */
  record Shift(int episodes, int severeInFirstRun, int verdictInFirstRun, int[] pagedBy) {

    double share(int count) {
      return (double) count / episodes;
    }

    double pagedWithin(int runs) {
      return share(pagedBy[runs - 1]);
    }
  }

  Shift shifted(Random random, SyntheticRuns.Slowdown slowdown, int episodes, int runsPerEpisode) {
    int severeFirst = 0;
    int verdictFirst = 0;
    int[] pagedBy = new int[runsPerEpisode];
    for (int episode = 0; episode < episodes; episode++) {
      IntentSamples base = model.draw(random, requestsPerRun, 1.0);
      PersistenceGate gate = new PersistenceGate(settings.persistenceRuns());
      boolean paged = false;
      for (int run = 0; run < runsPerEpisode; run++) {
        List<MetricComparison> judged = judge(base, model.draw(random, requestsPerRun, slowdown));
        if (run == 0) {
          Severity worst = judged.stream().map(MetricComparison::severity).reduce(Severity.NONE, Severity::max);
          severeFirst += worst.atLeast(Severity.SEV_2) ? 1 : 0;
          verdictFirst += worst.atLeast(Severity.SEV_3) ? 1 : 0;
        }
        paged |= gate.record(findings(judged)).stream()
            .anyMatch(decision -> decision.action() == Action.PAGE || decision.action() == Action.ROLLBACK);
        pagedBy[run] += paged ? 1 : 0;
      }
    }
    return new Shift(episodes, severeFirst, verdictFirst, pagedBy);
  }

  private List<MetricComparison> judge(IntentSamples base, IntentSamples newer) {
    List<MetricComparison> judged = new ArrayList<>();
    for (Metric metric : Metric.values()) {
      judged.add(comparator.compare("simulated", metric, base, newer));
    }
    return judged;
  }

  private static List<Finding> findings(List<MetricComparison> judged) {
    return judged.stream().map(Finding::of).toList();
  }

  /** The run that completes a streak of the required length: the one that first pages or rolls back. */
  private boolean confirmsIncident(Decision decision) {
    return decision.consecutiveRuns() == settings.persistenceRuns();
  }
}
