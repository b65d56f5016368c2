package com.mangaassist.benchmark.stats;

/**
 * Outcome of a {@link MannWhitneyU}.
 *
 * @param u the new sample's U: pairs with new &gt; base plus half the ties
 * @param pTwoSided p-value against "the two distributions differ"
 * @param pGreater one-sided p-value against "new is stochastically greater (slower)"
 * @param exact whether the p-values come from the exact null distribution rather than the normal approximation
 */
public record MannWhitneyResult(double u, double pTwoSided, double pGreater, boolean exact) {}
