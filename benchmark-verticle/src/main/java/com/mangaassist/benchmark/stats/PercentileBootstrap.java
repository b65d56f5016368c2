package com.mangaassist.benchmark.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Bootstrap confidence intervals for a {@link Percentiles nearest-rank} quantile of one sample (the median, say)
 * and for the ratio new/base of one quantile of two independent samples (the p95 ratio).
 *
 * <p><b>Method: the percentile interval.</b> Each replicate resamples every sample with replacement to its own
 * size and computes the statistic; the interval's ends are the (1−c)/2 and (1+c)/2 nearest-rank quantiles of the
 * replicates. Why not BCa: BCa's acceleration is estimated by the jackknife, and the jackknife is inconsistent for
 * sample quantiles (a non-smooth statistic; Efron, <i>The Jackknife, the Bootstrap and Other Resampling Plans</i>,
 * 1982), exactly the statistics bootstrapped here. The percentile interval respects transformations (taken on the
 * log of the ratio and transformed back it has the same ends) and only returns values the statistic can take.
 *
 * <p>Its known weakness at n ≈ 50: the resampled p95 takes only the few largest values of the sample, so the
 * interval is discrete and somewhat too narrow. The regression detector therefore never relies on it for
 * significance (that is the exact tail test's or the Mann-Whitney test's job); it only gates the size of an effect.
 *
 * <p>Seeded: every call starts a fresh generator from the same seed, so equal inputs give equal intervals whatever
 * was computed before.
 */
public final class PercentileBootstrap {

  private final int resamples;
  private final long seed;

  public PercentileBootstrap(int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be positive: " + resamples);
    }
    this.resamples = resamples;
    this.seed = seed;
  }

  /** The {@code quantile} of {@code samples} with its {@code confidence} interval. */
  public IntervalEstimate quantile(double[] samples, double quantile, double confidence) {
    requireConfidence(confidence);
    Resampler resampler = new Resampler(samples, quantile);
    SplittableRandom random = new SplittableRandom(seed);
    double[] replicates = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      replicates[b] = resampler.resampledQuantile(random);
    }
    return interval(resampler.observedQuantile(), replicates, confidence);
  }

  /** The ratio of the {@code quantile} of {@code newer} to that of {@code base}, with its interval. */
  public IntervalEstimate quantileRatio(double[] newer, double[] base, double quantile, double confidence) {
    requireConfidence(confidence);
    Resampler baseResampler = new Resampler(base, quantile);
    Resampler newResampler = new Resampler(newer, quantile);
    SplittableRandom random = new SplittableRandom(seed);
    double[] replicates = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double resampledBase = baseResampler.resampledQuantile(random);
      replicates[b] = newResampler.resampledQuantile(random) / resampledBase;
    }
    return interval(newResampler.observedQuantile() / baseResampler.observedQuantile(), replicates, confidence);
  }

  private static IntervalEstimate interval(double estimate, double[] replicates, double confidence) {
    Arrays.sort(replicates);
    double tail = (1 - confidence) / 2;
    return new IntervalEstimate(estimate, Percentiles.ofSorted(replicates, tail),
        Percentiles.ofSorted(replicates, 1 - tail));
  }

  private static void requireConfidence(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
  }

  /**
   * Draws the nearest-rank quantile of a resample without building and sorting the resample: it draws indices into
   * the sorted sample, counts them, and walks the counts to the quantile's rank. O(n) per replicate.
   */
  private static final class Resampler {

    private final double[] sorted;
    private final int rank;
    private final int[] counts;

    Resampler(double[] samples, double quantile) {
      if (samples.length == 0) {
        throw new IllegalArgumentException("cannot bootstrap an empty sample");
      }
      sorted = samples.clone();
      Arrays.sort(sorted);
      rank = Percentiles.rank(quantile, sorted.length);
      counts = new int[sorted.length];
    }

    double observedQuantile() {
      return sorted[rank - 1];
    }

    double resampledQuantile(SplittableRandom random) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < sorted.length; i++) {
        counts[random.nextInt(sorted.length)]++;
      }
      int seen = 0;
      int index = 0;
      while (seen + counts[index] < rank) {
        seen += counts[index];
        index++;
      }
      return sorted[index];
    }
  }
}
