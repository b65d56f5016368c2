package com.mangaassist.benchmark.stats;

import java.util.Arrays;

/**
 * The Hodges-Lehmann shift of new against base, the median of all n₁·n₂ differences new − base, with its
 * distribution-free confidence interval: the interval between the k-th smallest and the k-th largest difference,
 * where k comes from the Mann-Whitney null distribution (Hollander, Wolfe &amp; Chicken, <i>Nonparametric
 * Statistical Methods</i>, 3rd ed., §4.3; R's {@code wilcox.test(new, base, conf.int = TRUE)}).
 *
 * <p>The median here is the textbook one of the estimator's definition (the mean of the two middle differences when
 * their count is even), not the project's nearest-rank percentile: it is the value R reports, and it only matters
 * in the last digit. The interval's ends are order statistics either way.
 *
 * <p>k is R's exact rule when a sample is small ({@link MannWhitneyU#smallSample}): the smallest k with
 * P(U ≤ k) ≥ α/2, at least 1. Otherwise the normal approximation with continuity correction,
 * k = ⌈n₁n₂/2 − ½ − z<sub>1−α/2</sub>·√(n₁n₂(n₁+n₂+1)/12)⌉. From 9 to 100 values per side and 90–99 %
 * confidence it is never more than one rank bolder than the exact k, and in the far tails up to five ranks more
 * cautious (U's tails are lighter than the normal's). Ties make the interval conservative; it is not shortened for
 * them.
 */
public final class HodgesLehmann {

  private HodgesLehmann() {}

  public static IntervalEstimate estimate(double[] newer, double[] base, double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
    if (newer.length == 0 || base.length == 0) {
      throw new IllegalArgumentException("both samples need values");
    }
    double[] differences = new double[newer.length * base.length];
    int next = 0;
    for (double x : newer) {
      for (double y : base) {
        differences[next++] = x - y;
      }
    }
    Arrays.sort(differences);
    int pairs = differences.length;
    double shift = pairs % 2 == 1
        ? differences[pairs / 2]
        : (differences[pairs / 2 - 1] + differences[pairs / 2]) / 2;
    int k = Math.min(lowerRank(newer.length, base.length, (1 - confidence) / 2), (pairs + 1) / 2);
    return new IntervalEstimate(shift, differences[k - 1], differences[pairs - k]);
  }

  /** The 1-based rank k of the lower end among the sorted differences, for a tail probability {@code tail}. */
  static int lowerRank(int n1, int n2, double tail) {
    int k;
    if (MannWhitneyU.smallSample(n1, n2)) {
      k = new MannWhitneyNullDistribution(n1, n2).lowerQuantile(tail);
    } else {
      double pairs = (double) n1 * n2;
      double sd = Math.sqrt(pairs * (n1 + n2 + 1) / 12);
      k = (int) Math.ceil(pairs / 2 - 0.5 + NormalDistribution.quantile(tail) * sd);
    }
    return Math.max(1, k);
  }
}
