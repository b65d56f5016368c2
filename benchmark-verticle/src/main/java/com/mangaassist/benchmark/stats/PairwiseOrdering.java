package com.mangaassist.benchmark.stats;

import java.util.Arrays;

/**
 * How two samples interleave: the Mann-Whitney statistic of the new sample and the sizes of tied groups, from one
 * sort of each sample and a merge (O(n log n), not a loop over all n₁·n₂ pairs).
 *
 * @param u the number of (new, base) pairs with new &gt; base, plus half the number of tied pairs
 * @param tieTerm Σ(t³ − t) over groups of t equal values in the pooled sample, for the variance's tie correction
 * @param newCount n₁, the size of the new sample
 * @param baseCount n₂, the size of the base sample
 */
record PairwiseOrdering(double u, double tieTerm, int newCount, int baseCount) {

  static PairwiseOrdering of(double[] newer, double[] base) {
    requireSamples(newer, "new");
    requireSamples(base, "base");
    double[] a = newer.clone();
    double[] b = base.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    double greaterPairs = 0;
    double tiedPairs = 0;
    double tieTerm = 0;
    int i = 0;
    int j = 0;
    // walk the pooled sample in ascending order, one group of equal values at a time
    while (i < a.length || j < b.length) {
      double value = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
      int newInGroup = 0;
      while (i < a.length && a[i] == value) {
        newInGroup++;
        i++;
      }
      int baseInGroup = 0;
      while (j < b.length && b[j] == value) {
        baseInGroup++;
        j++;
      }
      // every base value below this group was passed already: j − baseInGroup of them
      greaterPairs += (double) newInGroup * (j - baseInGroup);
      tiedPairs += (double) newInGroup * baseInGroup;
      double t = newInGroup + baseInGroup;
      tieTerm += t * t * t - t;
    }
    return new PairwiseOrdering(greaterPairs + tiedPairs / 2, tieTerm, a.length, b.length);
  }

  boolean hasTies() {
    return tieTerm > 0;
  }

  double pairs() {
    return (double) newCount * baseCount;
  }

  private static void requireSamples(double[] samples, String which) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("the " + which + " sample is empty");
    }
    for (double sample : samples) {
      if (Double.isNaN(sample)) {
        throw new IllegalArgumentException("the " + which + " sample contains NaN");
      }
    }
  }
}
