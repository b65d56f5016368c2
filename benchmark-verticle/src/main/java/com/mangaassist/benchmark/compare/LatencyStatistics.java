package com.mangaassist.benchmark.compare;

import com.mangaassist.benchmark.stats.CliffsDelta;
import com.mangaassist.benchmark.stats.CohensD;
import com.mangaassist.benchmark.stats.HodgesLehmann;
import com.mangaassist.benchmark.stats.IntervalEstimate;
import com.mangaassist.benchmark.stats.MannWhitneyResult;
import com.mangaassist.benchmark.stats.MannWhitneyU;
import com.mangaassist.benchmark.stats.PercentileBootstrap;
import com.mangaassist.benchmark.stats.Percentiles;
import com.mangaassist.benchmark.stats.TailExceedance;

/**
 * The statistics of one metric's latencies, base against new. Every interval is at the settings' confidence.
 *
 * @param nBase base sample size
 * @param nNew new sample size
 * @param medianBase base median with its bootstrap interval
 * @param medianNew new median with its bootstrap interval
 * @param p95Base base p95 (nearest rank)
 * @param p95New new p95 (nearest rank)
 * @param mannWhitney Mann-Whitney U test of new against base
 * @param hodgesLehmann shift new − base in milliseconds with its distribution-free interval
 * @param cliffsDelta P(new &gt; base) − P(new &lt; base)
 * @param cohensD standardized mean difference (reported, not relied on)
 * @param p95Ratio new p95 / base p95 with its bootstrap interval
 * @param tailP one-sided exact tail-exceedance p-value over the base p95
 */
public record LatencyStatistics(
    int nBase,
    int nNew,
    IntervalEstimate medianBase,
    IntervalEstimate medianNew,
    double p95Base,
    double p95New,
    MannWhitneyResult mannWhitney,
    IntervalEstimate hodgesLehmann,
    double cliffsDelta,
    double cohensD,
    IntervalEstimate p95Ratio,
    double tailP) {

  /** The quantile the tail statistics look at. */
  static final double TAIL_QUANTILE = 0.95;

  private static final IntervalEstimate NO_ESTIMATE = new IntervalEstimate(Double.NaN, Double.NaN, Double.NaN);

  static LatencyStatistics of(double[] newer, double[] base, PercentileBootstrap bootstrap, double confidence) {
    if (base.length == 0 || newer.length == 0) {
      // every request of one side failed: nothing to compare, the error rate still speaks
      return new LatencyStatistics(base.length, newer.length, NO_ESTIMATE, NO_ESTIMATE, Double.NaN, Double.NaN,
          new MannWhitneyResult(Double.NaN, Double.NaN, Double.NaN, false), NO_ESTIMATE, Double.NaN, Double.NaN,
          NO_ESTIMATE, Double.NaN);
    }
    return new LatencyStatistics(
        base.length,
        newer.length,
        bootstrap.quantile(base, 0.5, confidence),
        bootstrap.quantile(newer, 0.5, confidence),
        Percentiles.of(base, TAIL_QUANTILE),
        Percentiles.of(newer, TAIL_QUANTILE),
        MannWhitneyU.test(newer, base),
        HodgesLehmann.estimate(newer, base, confidence),
        CliffsDelta.of(newer, base),
        CohensD.of(newer, base),
        bootstrap.quantileRatio(newer, base, TAIL_QUANTILE, confidence),
        TailExceedance.test(newer, base, TAIL_QUANTILE).pValue());
  }
}
