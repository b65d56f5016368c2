package com.mangaassist.benchmark.stats;

/**
 * An exact, distribution-free test that the new sample's upper tail is heavier than the base's: it counts the new
 * values above the base's nearest-rank q-quantile (its p95, say) and asks how likely so many are if both samples
 * come from one continuous distribution.
 *
 * <p>With m base values, threshold the base's k-th smallest value (k = ⌈q·m⌉, s = m − k base values above it)
 * and n new values, the number X of new values above the threshold has, under that null hypothesis, the
 * exceedance distribution (Gumbel &amp; von Schelling 1950; Balakrishnan &amp; Ng, <i>Precedence-Type Tests and
 * Applications</i>, 2006): P(X = j) = C(j+s, j)·C(n−j+k−1, n−j) / C(m+n, n). The p-value is P(X ≥ observed).
 *
 * <p>Why this and not a binomial test of the exceedances against 5 %: the threshold is itself estimated from only
 * m values, and the chance that a new value exceeds it is (s+1)/(m+1) on average, not 1 − q (5.9 % for m = 50, not
 * 5 %), and varies from base run to base run; a binomial test against 5 % ignores both and raises false alarms.
 * This count accounts for them exactly. Values equal to the threshold do not count as exceeding it, so ties make
 * the test conservative. Fisher's exact test on the 2×2 table of exceedances is not used either: it treats the
 * base's count above the threshold as random, while the construction fixes it at s.
 */
public final class TailExceedance {

  private TailExceedance() {}

  /**
   * @param newer the new sample, whose exceedances are counted
   * @param base the base sample, which sets the threshold
   * @param quantile the base quantile used as threshold, e.g. 0.95
   */
  public static TailExceedanceResult test(double[] newer, double[] base, double quantile) {
    if (base.length == 0 || newer.length == 0) {
      throw new IllegalArgumentException("both samples need values");
    }
    double threshold = Percentiles.of(base, quantile);
    int exceedances = 0;
    for (double value : newer) {
      if (value > threshold) {
        exceedances++;
      }
    }
    int m = base.length;
    int n = newer.length;
    int k = Percentiles.rank(quantile, m);
    int above = m - k;
    double logTotal = LogBinomial.logChoose(m + n, n);
    double pValue = 0;
    for (int j = exceedances; j <= n; j++) {
      pValue += Math.exp(LogBinomial.logChoose(j + above, j) + LogBinomial.logChoose(n - j + k - 1, n - j) - logTotal);
    }
    return new TailExceedanceResult(threshold, exceedances, Math.min(1, pValue));
  }
}
