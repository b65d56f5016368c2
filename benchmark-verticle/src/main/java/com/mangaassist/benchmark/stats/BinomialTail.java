package com.mangaassist.benchmark.stats;

/**
 * The exact one-sided binomial test: P(X ≥ observed) for X ~ Binomial(trials, p₀), like
 * {@code scipy.stats.binomtest(observed, trials, p0, alternative="greater")}.
 *
 * <p>Used where the threshold is fixed in advance rather than estimated, e.g. a first-token target: if the true
 * p95 is at most the target, each request exceeds it with probability at most 5 %, so an exceedance count
 * improbable under Binomial(n, 0.05) is evidence that the p95 is above the target.
 */
public final class BinomialTail {

  private BinomialTail() {}

  public static double upperTail(int observed, int trials, double probability) {
    if (trials < 0 || observed > trials) {
      throw new IllegalArgumentException("need 0 ≤ observed ≤ trials: " + observed + " of " + trials);
    }
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
    }
    if (observed <= 0) {
      return 1;
    }
    if (probability == 0) {
      return 0;
    }
    if (probability == 1) {
      return 1;
    }
    double logP = Math.log(probability);
    double logQ = Math.log1p(-probability);
    double sum = 0;
    for (int j = observed; j <= trials; j++) {
      sum += Math.exp(LogBinomial.logChoose(trials, j) + j * logP + (trials - j) * logQ);
    }
    return Math.min(1, sum);
  }
}
