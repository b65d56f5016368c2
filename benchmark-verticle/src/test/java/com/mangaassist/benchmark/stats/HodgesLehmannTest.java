package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HodgesLehmannTest {

  @Test
  void smallSampleIntervalComesFromTheExactDistribution() {
    // R ?wilcox.test permeability example (Hollander & Wolfe 1973, p. 69), x new and y base. Expected values by
    // exhaustive enumeration of all C(15, 5) = 3003 rank assignments in Python: the smallest u with
    // P(U ≤ u) ≥ 0.025 is 9, so the 95 % interval is the 9th smallest and 9th largest of the 50 differences;
    // the estimate is numpy.median of the differences (R reports "difference in location 0.305")
    double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
    IntervalEstimate shift = HodgesLehmann.estimate(x, y, 0.95);
    assertEquals(0.305, shift.estimate(), 1e-12);
    assertEquals(-0.15, shift.lower(), 1e-12);
    assertEquals(0.76, shift.upper(), 1e-12);
    // same enumeration at 90 %: u = 12
    IntervalEstimate narrower = HodgesLehmann.estimate(x, y, 0.90);
    assertEquals(-0.08, narrower.lower(), 1e-12);
    assertEquals(0.72, narrower.upper(), 1e-12);
  }

  @Test
  void largeSampleIntervalMatchesTheExactOrderStatistics() {
    double[] a = {404, 601, 578, 343, 366, 341, 475, 393, 500, 230, 640, 389, 491, 384, 357, 460, 512, 376, 382, 491};
    double[] b = {293, 241, 428, 311, 214, 298, 330, 266, 243, 384, 497, 354, 304, 427, 471, 347, 447, 520, 357, 298};
    IntervalEstimate shift = HodgesLehmann.estimate(a, b, 0.95);
    // the exact 2.5 % point of U for 20 × 20 (scipy.stats._mannwhitneyu._MWU(20, 20).cdf) is rank 128, which the
    // normal approximation reproduces; the 128th smallest and largest differences and numpy.median of all 400
    assertEquals(82.5, shift.estimate(), 1e-12);
    assertEquals(28, shift.lower(), 1e-12);
    assertEquals(145, shift.upper(), 1e-12);
  }

  @Test
  void normalApproximationRankIsAtMostOneRankBolderThanTheExactRank() {
    // exact ranks: smallest u with P(U ≤ u) ≥ (1 − c)/2 from SciPy's exact distribution
    // (scipy.stats._mannwhitneyu._MWU(m, n).pmf, cumulated), for c = 0.90, 0.95, 0.98, 0.99
    int[][] cases = {
        {9, 9, 22, 18, 15, 12}, {12, 10, 35, 30, 25, 22}, {20, 20, 139, 128, 115, 106}, {30, 45, 523, 494, 461, 439},
        {45, 45, 809, 770, 725, 695}, {50, 50, 1011, 966, 914, 878}, {10, 50, 167, 152, 134, 123},
        {80, 100, 3428, 3320, 3194, 3108}, {9, 100, 300, 273, 242, 221}};
    double[] confidences = {0.90, 0.95, 0.98, 0.99};
    for (int[] row : cases) {
      for (int c = 0; c < confidences.length; c++) {
        int rank = HodgesLehmann.lowerRank(row[0], row[1], (1 - confidences[c]) / 2);
        int exact = row[2 + c];
        String label = row[0] + "×" + row[1] + " at " + confidences[c] + ": " + rank + " vs exact " + exact;
        assertTrue(rank <= exact + 1, label);
        assertTrue(rank >= exact - 5, label);
      }
    }
  }

  @Test
  void identicalSamplesHaveNoShift() {
    double[] same = {410, 380, 520, 450, 395, 610, 430, 470, 500, 405};
    IntervalEstimate shift = HodgesLehmann.estimate(same, same, 0.95);
    assertEquals(0, shift.estimate());
    assertTrue(shift.lower() < 0 && shift.upper() > 0);
  }
}
