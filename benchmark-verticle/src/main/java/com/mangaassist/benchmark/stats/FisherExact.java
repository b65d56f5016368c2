package com.mangaassist.benchmark.stats;

/**
 * Fisher's exact test that the new error rate is higher than the base's, one-sided: given the total number of
 * errors, P(the new run holds at least as many of them as it does), from the hypergeometric distribution. Equals
 * {@code scipy.stats.fisher_exact([[errorsNew, okNew], [errorsBase, okBase]], alternative="greater")}.
 *
 * <p>Why Fisher rather than the pooled two-proportion z test: errors are rare (0 to a few per 50 requests), where
 * the z test's normal approximation is poor and its p-values too small; the exact test is valid at every count and
 * cheap at benchmark sizes, so there is no need to switch between the two.
 */
public final class FisherExact {

  private FisherExact() {}

  public static double upperTail(int errorsNew, int countNew, int errorsBase, int countBase) {
    if (errorsNew < 0 || errorsBase < 0 || errorsNew > countNew || errorsBase > countBase) {
      throw new IllegalArgumentException("need 0 ≤ errors ≤ count: " + errorsNew + "/" + countNew + ", "
          + errorsBase + "/" + countBase);
    }
    int total = countNew + countBase;
    int errors = errorsNew + errorsBase;
    if (errorsNew <= Math.max(0, countNew - (total - errors))) {
      // the whole support: exactly 1, without the rounding of a long sum
      return 1;
    }
    double logTables = LogBinomial.logChoose(total, countNew);
    double sum = 0;
    for (int x = errorsNew; x <= Math.min(errors, countNew); x++) {
      sum += Math.exp(LogBinomial.logChoose(errors, x) + LogBinomial.logChoose(total - errors, countNew - x)
          - logTables);
    }
    return Math.min(1, sum);
  }
}
