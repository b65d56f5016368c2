package com.mangaassist.benchmark.stats;

/**
 * Cliff's delta of new against base: P(new &gt; base) − P(new &lt; base) over all pairs, in [−1, 1]; positive means
 * new tends to be slower. It equals 2U/(n₁n₂) − 1 for the Mann-Whitney U of the new sample.
 *
 * <p>A scale-free descriptor reported beside the shift. Romano et al. (2006) call |δ| &lt; 0.147 negligible,
 * &lt; 0.33 small, &lt; 0.474 medium. It saturates at ±1 once the samples stop overlapping, so it cannot tell a
 * doubling from a tenfold slowdown, and no severity depends on it.
 */
public final class CliffsDelta {

  private CliffsDelta() {}

  public static double of(double[] newer, double[] base) {
    PairwiseOrdering ordering = PairwiseOrdering.of(newer, base);
    return 2 * ordering.u() / ordering.pairs() - 1;
  }
}
