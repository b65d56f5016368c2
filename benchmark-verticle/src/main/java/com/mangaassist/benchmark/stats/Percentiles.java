package com.mangaassist.benchmark.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The one percentile estimator of the project: <b>nearest rank</b>. The q-quantile of n samples is the value at
 * 1-based rank {@code ceil(q·n)} (at least 1) of the sorted samples; the median is the 0.5-quantile, so for an even
 * count it is the lower of the two middle values.
 *
 * <p>Why this one: it always returns a latency that was actually observed, needs no interpolation rule, and is what
 * HdrHistogram's {@code getValueAtPercentile} returns (up to the histogram's value resolution), so a percentile
 * printed by the load generator and one computed here from raw samples agree. It is Hyndman and Fan's type 1
 * ({@code numpy.percentile(..., method="inverted_cdf")}).
 */
public final class Percentiles {

  private Percentiles() {}

  /**
   * The 1-based rank {@code ceil(quantile·count)}, at least 1. The product is taken in decimal: in binary floating
   * point 0.07 × 100 is 7.000000000000001, whose ceiling would wrongly be 8.
   */
  public static int rank(double quantile, int count) {
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + quantile);
    }
    if (count < 1) {
      throw new IllegalArgumentException("no samples");
    }
    int rank = new BigDecimal(Double.toString(quantile)).multiply(BigDecimal.valueOf(count))
        .setScale(0, RoundingMode.CEILING).intValueExact();
    return Math.max(1, rank);
  }

  /** The {@code quantile} (0..1) of {@code samples}, which are left untouched. */
  public static double of(double[] samples, double quantile) {
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    return ofSorted(sorted, quantile);
  }

  /** The {@code quantile} (0..1) of samples already sorted ascending. */
  public static double ofSorted(double[] sorted, double quantile) {
    return sorted[rank(quantile, sorted.length) - 1];
  }

  /** The {@code quantile} (0..1) of samples already sorted ascending, as a list (the reports' own collections). */
  public static double ofSorted(java.util.List<Double> sorted, double quantile) {
    return sorted.get(rank(quantile, sorted.size()) - 1);
  }

  public static double median(double[] samples) {
    return of(samples, 0.5);
  }
}
