package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NormalDistributionTest {

  /** Relative agreement with SciPy, which uses Cephes' ndtr/ndtri (double precision). */
  private static void assertRelative(double expected, double actual, double tolerance) {
    assertEquals(expected, actual, Math.abs(expected) * tolerance, () -> "expected " + expected + " got " + actual);
  }

  @Test
  void upperTailMatchesScipyFromTheCentreFarIntoTheTail() {
    // scipy.stats.norm.sf(x), SciPy 1.17
    assertRelative(0.9999997133484281, NormalDistribution.upperTail(-5), 1e-13);
    assertRelative(0.8413447460685429, NormalDistribution.upperTail(-1), 1e-13);
    assertRelative(0.5, NormalDistribution.upperTail(0), 1e-15);
    assertRelative(0.3085375387259869, NormalDistribution.upperTail(0.5), 1e-13);
    assertRelative(0.024997895148220435, NormalDistribution.upperTail(1.96), 1e-13);
    assertRelative(0.0018658133003840375, NormalDistribution.upperTail(2.9), 1e-12);
    assertRelative(0.0009676032132183563, NormalDistribution.upperTail(3.1), 1e-12);
    assertRelative(2.866515718791933e-07, NormalDistribution.upperTail(5), 1e-12);
    assertRelative(6.22096057427174e-16, NormalDistribution.upperTail(8), 1e-12);
    assertRelative(1.776482112077653e-33, NormalDistribution.upperTail(12), 1e-12);
    assertRelative(4.906713927147908e-198, NormalDistribution.upperTail(30), 1e-11);
  }

  @Test
  void cdfIsTheTextbookValueAt196() {
    // Φ(1.96) = 0.9750021048517795 (standard normal tables; scipy.stats.norm.cdf(1.96))
    assertRelative(0.9750021048517795, NormalDistribution.cdf(1.96), 1e-14);
  }

  @Test
  void quantileMatchesScipy() {
    // scipy.stats.norm.ppf(p), SciPy 1.17
    assertRelative(-6.361340902404056, NormalDistribution.quantile(1e-10), 1e-13);
    assertRelative(-3.090232306167813, NormalDistribution.quantile(0.001), 1e-13);
    assertRelative(-1.9599639845400545, NormalDistribution.quantile(0.025), 1e-13);
    assertRelative(-1.6448536269514729, NormalDistribution.quantile(0.05), 1e-13);
    assertEquals(0.0, NormalDistribution.quantile(0.5), 1e-15);
    assertRelative(1.2815515655446004, NormalDistribution.quantile(0.9), 1e-13);
    assertRelative(1.959963984540054, NormalDistribution.quantile(0.975), 1e-13);
  }
}
