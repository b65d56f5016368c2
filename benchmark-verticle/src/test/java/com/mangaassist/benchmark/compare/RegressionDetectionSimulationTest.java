package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.stats.MannWhitneyU;
import com.mangaassist.benchmark.stats.TailExceedance;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The detector with the shipped settings on runs of n = 50 drawn from known lognormal latencies: at its nominal
 * level when nothing changed, paging when every request got 50 % slower. Seeded, about ten seconds.
 * {@link RegressionDetectionCalibrationTest} measures the same at length for docs/BENCHMARKING.md.
 */
class RegressionDetectionSimulationTest {

  private static final RegressionSettings SETTINGS = DetectorSimulation.shippedSettings(new JsonObject());
  private static final double ALPHA = SETTINGS.alpha();

  private final DetectorSimulation simulation =
      new DetectorSimulation(SETTINGS, DetectorSimulation.SONNET_LIKE, 50);

  /** Three binomial standard errors of a rate {@code level} estimated from {@code count} trials. */
  private static double slack(double level, int count) {
    return 3 * Math.sqrt(level * (1 - level) / count);
  }

  @Test
  void significanceStageHasItsNominalLevelBetweenHalfAlphaAndAlpha() {
    // the rule the detector applies before any gate: the tail test or the one-sided Mann-Whitney test below α/2.
    // Nominal: at least α/2 (the Mann-Whitney test alone is an α/2 test), at most α (Bonferroni)
    Random random = new Random(3);
    int pairs = 20_000;
    int significant = 0;
    for (int i = 0; i < pairs; i++) {
      double[] base = DetectorSimulation.SONNET_LIKE.draw(random, 50, 1.0).ttftMs();
      double[] newer = DetectorSimulation.SONNET_LIKE.draw(random, 50, 1.0).ttftMs();
      double p = Math.min(TailExceedance.test(newer, base, 0.95).pValue(), MannWhitneyU.test(newer, base).pGreater());
      significant += p < ALPHA / 2 ? 1 : 0;
    }
    double rate = (double) significant / pairs;
    assertTrue(rate >= ALPHA / 2 - slack(ALPHA / 2, pairs) && rate <= ALPHA + slack(ALPHA, pairs),
        "significance rate " + rate + " outside [α/2, α] = [" + ALPHA / 2 + ", " + ALPHA + "]");
  }

  @Test
  void withoutChangeVerdictsAndConfirmedAlarmsStayWithinTheirNominalLevels() {
    // eight days of 96 runs, each day's runs compared with that day's baseline (false alarms cluster: the hard case)
    DetectorSimulation.NoChange outcome = simulation.noChange(new Random(1), 8, DetectorSimulation.RUNS_PER_DAY);
    // a single run's SEV-2 or SEV-1 needs family-wise significance at α: nominal level α per comparison
    double severe = outcome.perComparison(outcome.severeVerdicts());
    assertTrue(severe <= ALPHA + slack(ALPHA, outcome.runs()), "SEV-2+ verdicts per comparison: " + severe);
    // a page or rollback needs it in N consecutive runs: α^N if runs were independent, the nominal level here
    double nominal = Math.pow(ALPHA, SETTINGS.persistenceRuns());
    double confirmed = (double) outcome.incidents() / outcome.comparisons();
    assertTrue(confirmed <= nominal + slack(nominal, outcome.runs()),
        outcome.incidents() + " confirmed false alarms in " + outcome.comparisons() + " comparisons");
  }

  @Test
  void aFiftyPercentSlowerSystemIsPagedByTheSecondRun() {
    DetectorSimulation.Shift outcome =
        simulation.shifted(new Random(2), SyntheticRuns.Slowdown.uniform(1.5), 100, 2);
    // every latency × 1.5 (p95 +50 %): confirmed after the two runs persistence needs, in at least 90 % of cases
    assertTrue(outcome.pagedWithin(2) >= 0.9, "paged by run 2 in " + outcome.pagedWithin(2) + " of regressions");
  }
}
