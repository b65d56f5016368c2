package com.mangaassist.benchmark.stats;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum) of a new sample against a base sample, with SciPy's conventions
 * ({@code scipy.stats.mannwhitneyu(new, base)}), so every p-value can be checked there:
 * <ul>
 *   <li>U is the new sample's statistic: (new, base) pairs with new &gt; base, plus half the tied pairs;</li>
 *   <li>the one-sided alternative is "new is stochastically greater" (slower), SciPy's {@code "greater"}; the
 *       two-sided p-value is twice the upper tail at max(U, n₁n₂ − U), capped at 1;</li>
 *   <li>{@link #test} picks the method like SciPy's {@code method="auto"}: the exact distribution when one sample
 *       has at most {@value #EXACT_MAX_SIZE} values and there are no ties (the exact distribution assumes none),
 *       otherwise the normal approximation with the tie-corrected variance and a continuity correction of ½
 *       toward the mean.</li>
 * </ul>
 * The benchmark's n = 50 per side always takes the normal approximation, whose p-values agree with the exact ones
 * there to about 1e-3 absolute.
 */
public final class MannWhitneyU {

  static final int EXACT_MAX_SIZE = 8;

  private MannWhitneyU() {}

  /** The exact test for small samples without ties, otherwise the normal approximation. */
  public static MannWhitneyResult test(double[] newer, double[] base) {
    PairwiseOrdering ordering = PairwiseOrdering.of(newer, base);
    return exactApplies(ordering) ? exact(ordering) : asymptotic(ordering);
  }

  /** Like {@code scipy.stats.mannwhitneyu(new, base, method="asymptotic", use_continuity=True)}. */
  public static MannWhitneyResult asymptotic(double[] newer, double[] base) {
    return asymptotic(PairwiseOrdering.of(newer, base));
  }

  /** Like {@code scipy.stats.mannwhitneyu(new, base, method="exact")}; with ties the p-values are approximate. */
  public static MannWhitneyResult exact(double[] newer, double[] base) {
    return exact(PairwiseOrdering.of(newer, base));
  }

  /** Whether the exact distribution is used: the size rule of SciPy's {@code "auto"}, and no ties. */
  static boolean smallSample(int newCount, int baseCount) {
    return Math.min(newCount, baseCount) <= EXACT_MAX_SIZE;
  }

  private static boolean exactApplies(PairwiseOrdering ordering) {
    return smallSample(ordering.newCount(), ordering.baseCount()) && !ordering.hasTies();
  }

  private static MannWhitneyResult exact(PairwiseOrdering ordering) {
    MannWhitneyNullDistribution distribution =
        new MannWhitneyNullDistribution(ordering.newCount(), ordering.baseCount());
    double u = ordering.u();
    double twoSided = Math.min(1, 2 * distribution.upperTail(Math.max(u, ordering.pairs() - u)));
    return new MannWhitneyResult(u, twoSided, distribution.upperTail(u), true);
  }

  private static MannWhitneyResult asymptotic(PairwiseOrdering ordering) {
    double u = ordering.u();
    double twoSided = Math.min(1, 2 * normalUpperTail(Math.max(u, ordering.pairs() - u), ordering));
    return new MannWhitneyResult(u, twoSided, normalUpperTail(u, ordering), false);
  }

  /** P(U ≥ u) by the normal approximation; subtracting ½ adds back the probability mass at u itself. */
  private static double normalUpperTail(double u, PairwiseOrdering ordering) {
    double n1 = ordering.newCount();
    double n2 = ordering.baseCount();
    double n = n1 + n2;
    double variance = n1 * n2 / 12 * ((n + 1) - ordering.tieTerm() / (n * (n - 1)));
    if (variance <= 0) {
      // every value equal: no evidence either way
      return 1;
    }
    double z = (u - n1 * n2 / 2 - 0.5) / Math.sqrt(variance);
    return NormalDistribution.upperTail(z);
  }
}
