package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exact tests on counts: binomial for exceedances of a fixed target, Fisher's for error rates. */
class ExactCountTestsTest {

  @Test
  void binomialUpperTailMatchesScipyBinomtest() {
    // scipy.stats.binomtest(k, n, p, alternative="greater").pvalue
    assertEquals(0.011786447797264277, BinomialTail.upperTail(7, 50, 0.05), 1e-14);
    assertEquals(0.6650433448855839, BinomialTail.upperTail(2, 45, 0.05), 1e-14);
    assertEquals(1.0, BinomialTail.upperTail(0, 50, 0.05));
  }

  @Test
  void fisherOneSidedMatchesScipyFisherExact() {
    // scipy.stats.fisher_exact([[errorsNew, okNew], [errorsBase, okBase]], alternative="greater").pvalue
    assertEquals(0.028142247214412164, FisherExact.upperTail(5, 50, 0, 50), 1e-14);
    assertEquals(0.3086535457669478, FisherExact.upperTail(3, 50, 1, 50), 1e-14);
    assertEquals(4.220782134735401e-07, FisherExact.upperTail(30, 1000, 12, 2000), 1e-18);
    assertEquals(1.0, FisherExact.upperTail(0, 50, 4, 50), 1e-15);
  }

  @Test
  void logBinomialIsTheLogarithmOfTheCoefficient() {
    // C(52, 5) = 2,598,960 poker hands; C(1000, 500) ≈ 2.7028824094543655e299 (Python math.comb)
    assertEquals(Math.log(2_598_960), LogBinomial.logChoose(52, 5), 1e-12);
    assertEquals(Math.log(2.7028824094543655e299), LogBinomial.logChoose(1000, 500), 1e-10);
    assertEquals(Double.NEGATIVE_INFINITY, LogBinomial.logChoose(5, 6));
  }
}
