package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TailExceedanceTest {

  @Test
  void nullDistributionMatchesExhaustiveEnumeration() {
    // 10 base values, 8 new, threshold the base 0.8-quantile (its 8th smallest). Expected P(X ≥ x) from
    // enumerating all C(18, 8) = 43,758 equally likely interleavings in Python (equal to
    // scipy.stats.betabinom(8, 3, 8).sf(x − 1): the threshold's exceedance probability is Beta(3, 8))
    double[] expected = {1.0, 0.8529411764705882, 0.6176470588235294, 0.38235294117647056, 0.20135746606334842,
        0.08823529411764706, 0.030645824763471823, 0.007610037021801728, 0.0010283833813245578};
    double[] base = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    for (int exceeding = 0; exceeding <= 8; exceeding++) {
      double[] newer = new double[8];
      for (int i = 0; i < 8; i++) {
        // values above 80 exceed the threshold, 5 never does
        newer[i] = i < exceeding ? 85 + i : 5 + i;
      }
      TailExceedanceResult result = TailExceedance.test(newer, base, 0.8);
      assertEquals(80, result.threshold());
      assertEquals(exceeding, result.exceedances());
      assertEquals(expected[exceeding], result.pValue(), 1e-13, "x=" + exceeding);
    }
  }

  @Test
  void heavierNewTailIsSignificantEvenWithASimilarMedian() {
    double[] base = {817.1, 163.5, 463.0, 327.9, 341.4, 370.9, 197.2, 368.8, 295.5, 1279.9, 432.9, 353.6, 362.5,
        316.6, 276.5, 348.9, 473.5, 368.0, 559.3, 373.0, 403.4, 687.1, 484.1, 335.2, 375.2, 483.3, 787.4, 364.0, 367.3,
        568.1, 293.3, 361.2, 544.8, 490.1, 413.0, 505.7, 148.7, 571.9, 285.9, 223.1, 440.6, 511.1, 342.3, 274.4, 403.7,
        392.7, 654.2, 519.6, 428.1, 590.2};
    double[] newer = {237.5, 347.8, 1513.9, 677.8, 107.6, 398.3, 242.9, 450.5, 110.5, 485.4, 482.9, 1410.9, 515.3,
        601.8, 121.1, 2425.1, 86.4, 965.8, 307.2, 197.7, 236.6, 233.7, 542.2, 366.3, 1309.7, 92.6, 399.0, 195.9, 744.1,
        73.5, 303.8, 473.2, 122.0, 879.7, 461.5, 895.1, 861.6, 182.7, 211.3, 340.0, 727.7, 790.2, 226.7, 246.1, 211.3};
    TailExceedanceResult result = TailExceedance.test(newer, base, 0.95);
    // base p95 = its 48th smallest value; 9 of 45 new values above it; scipy.stats.betabinom(45, 3, 48).sf(8)
    assertEquals(787.4, result.threshold());
    assertEquals(9, result.exceedances());
    assertEquals(0.016075207763084465, result.pValue(), 1e-13);
  }
}
