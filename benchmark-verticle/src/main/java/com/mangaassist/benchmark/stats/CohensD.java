package com.mangaassist.benchmark.stats;

/**
 * Cohen's d of new against base: the difference of means over the pooled standard deviation
 * √(((n₁−1)s₁² + (n₂−1)s₂²)/(n₁+n₂−2)).
 *
 * <p>Reported because the seed design names it, never relied on: means and standard deviations of right-skewed
 * latencies are dominated by a few slow requests, so d moves with the tail's noise rather than with the typical
 * request (Akinshin; Kayenta implements it but its classifier does not use it).
 */
public final class CohensD {

  private CohensD() {}

  /**
   * NaN with fewer than three values in all or when both samples are constant and equal; ±∞ when both are constant
   * and differ.
   */
  public static double of(double[] newer, double[] base) {
    int degreesOfFreedom = newer.length + base.length - 2;
    if (newer.length == 0 || base.length == 0 || degreesOfFreedom < 1) {
      return Double.NaN;
    }
    double meanNew = mean(newer);
    double meanBase = mean(base);
    double pooledVariance = (sumOfSquaredDeviations(newer, meanNew) + sumOfSquaredDeviations(base, meanBase))
        / degreesOfFreedom;
    return (meanNew - meanBase) / Math.sqrt(pooledVariance);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }

  private static double sumOfSquaredDeviations(double[] values, double mean) {
    double sum = 0;
    for (double value : values) {
      sum += (value - mean) * (value - mean);
    }
    return sum;
  }
}
