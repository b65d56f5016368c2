package com.mangaassist.benchmark.stats;

/**
 * The exact distribution of the Mann-Whitney U statistic when both samples come from one continuous distribution:
 * every interleaving of the m + n values is equally likely.
 *
 * <p>Counts by the classic recurrence on the largest pooled value: it belongs to the first sample (and beats all n
 * values of the second, adding n to U) or to the second (adding nothing), so
 * {@code c(m, n, u) = c(m−1, n, u−n) + c(m, n−1, u)}. Time O(min·m·n), memory O(min·m·n) doubles where min is the
 * smaller sample size, which is why it is used for small samples only.
 */
final class MannWhitneyNullDistribution {

  private final double[] probabilities;

  MannWhitneyNullDistribution(int m, int n) {
    if (m < 1 || n < 1) {
      throw new IllegalArgumentException("sample sizes must be positive: " + m + ", " + n);
    }
    // U is symmetric in the roles of the samples: iterate over the larger one, keep rows for the smaller one
    int small = Math.min(m, n);
    int large = Math.max(m, n);
    int maxU = small * large;
    // counts[i][u]: interleavings of i values of the small sample with the large values seen so far, with U = u
    double[][] counts = new double[small + 1][maxU + 1];
    for (int i = 0; i <= small; i++) {
      counts[i][0] = 1;
    }
    for (int j = 1; j <= large; j++) {
      for (int i = 1; i <= small; i++) {
        double[] row = counts[i];
        double[] shorter = counts[i - 1];
        // row still holds c(i, j−1, ·); shorter already holds c(i−1, j, ·)
        for (int u = maxU; u >= j; u--) {
          row[u] += shorter[u - j];
        }
      }
    }
    double[] last = counts[small];
    double total = 0;
    for (double count : last) {
      total += count;
    }
    probabilities = new double[maxU + 1];
    for (int u = 0; u <= maxU; u++) {
      probabilities[u] = last[u] / total;
    }
  }

  /**
   * P(U ≥ u). A half-integer u (only ties produce one, and ties are outside this distribution's assumption) counts
   * from its floor, like SciPy: the larger, conservative p-value.
   */
  double upperTail(double u) {
    int from = (int) Math.floor(u);
    double sum = 0;
    for (int k = Math.max(0, from); k < probabilities.length; k++) {
      sum += probabilities[k];
    }
    return Math.min(1, sum);
  }

  /** The smallest u with P(U ≤ u) ≥ p. */
  int lowerQuantile(double p) {
    double cumulative = 0;
    for (int u = 0; u < probabilities.length; u++) {
      cumulative += probabilities[u];
      // a relative slack, so that rounding in the sum never skips the u where the cdf reaches p exactly
      if (cumulative >= p * (1 - 1e-12)) {
        return u;
      }
    }
    return probabilities.length - 1;
  }
}
