package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MannWhitneyUTest {

  /** Ages at diagnosis from the example of SciPy's mannwhitneyu documentation (its reference [4]). */
  private static final double[] MALES = {19, 22, 16, 29, 24};
  private static final double[] FEMALES = {20, 11, 17, 12};

  /** 10 ms resolution, so the pooled sample has many ties; generated once with numpy (lognormal, seed 2024). */
  private static final double[] BASE_50 = {540, 650, 560, 300, 260, 410, 520, 470, 690, 500, 480, 320, 290, 620, 410,
      510, 260, 350, 270, 320, 520, 260, 340, 420, 330, 370, 370, 450, 350, 430, 410, 450, 430, 660, 330, 570, 350,
      300, 580, 350, 360, 260, 210, 480, 280, 510, 700, 390, 290, 450};
  private static final double[] NEW_45 = {550, 410, 440, 660, 640, 540, 340, 430, 530, 410, 370, 350, 360, 360, 380,
      620, 350, 570, 500, 460, 340, 380, 800, 450, 520, 540, 600, 410, 370, 430, 410, 560, 470, 470, 460, 640, 370,
      380, 570, 430, 490, 350, 440, 500, 300};

  @Test
  void exactTestMatchesTheScipyDocumentationExample() {
    MannWhitneyResult result = MannWhitneyU.exact(MALES, FEMALES);
    // SciPy docs: U1 = 17, two-sided p = 0.1111111111111111; one-sided p = 0.05555555555555555 (there as
    // mannwhitneyu(females, males, alternative="less", method="exact"), the same tail)
    assertEquals(17, result.u());
    assertEquals(0.1111111111111111, result.pTwoSided(), 1e-15);
    assertEquals(0.05555555555555555, result.pGreater(), 1e-15);
    assertTrue(result.exact());
  }

  @Test
  void asymptoticTestMatchesTheScipyDocumentationExample() {
    MannWhitneyResult result = MannWhitneyU.asymptotic(MALES, FEMALES);
    // SciPy docs: mannwhitneyu(males, females, method="asymptotic") p = 0.11134688653314041;
    // alternative="greater": 0.055673443266570206 (SciPy 1.17)
    assertEquals(0.11134688653314041, result.pTwoSided(), 1e-14);
    assertEquals(0.055673443266570206, result.pGreater(), 1e-14);
    assertFalse(result.exact());
  }

  @Test
  void exactOneSidedMatchesTheRDocumentationExample() {
    // R ?wilcox.test: Hollander & Wolfe (1973) p. 69, permeability constants; wilcox.test(x, y, alternative = "g")
    // gives W = 35, p-value = 0.1272 (scipy.stats.mannwhitneyu(x, y, alternative="greater"): 0.1272061272061272)
    double[] x = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    double[] y = {1.15, 0.88, 0.90, 0.74, 1.21};
    MannWhitneyResult result = MannWhitneyU.test(x, y);
    assertEquals(35, result.u());
    assertEquals(0.1272061272061272, result.pGreater(), 1e-14);
    assertEquals(0.2544122544122544, result.pTwoSided(), 1e-14);
  }

  @Test
  void autoUsesTheExactDistributionForASmallUntiedSample() {
    double[] a = {89.58, 106.35, 133.73, 106.93, 99.12, 87.32, 105.87};
    double[] b = {52.48, 89.26, 85.05, 82.21, 124.81, 52.9, 89.67, 91.03, 97.01, 65.97, 83, 67.57};
    MannWhitneyResult result = MannWhitneyU.test(a, b);
    // scipy.stats.mannwhitneyu(a, b, method="exact"), two-sided and alternative="greater"
    assertTrue(result.exact());
    assertEquals(71, result.u());
    assertEquals(0.012979280781138367, result.pTwoSided(), 1e-15);
    assertEquals(0.006489640390569183, result.pGreater(), 1e-15);
  }

  @Test
  void autoFallsBackToTheNormalApproximationWhenASmallSampleHasTies() {
    double[] c = {98, 103, 102, 97, 103, 103, 106, 100};
    double[] d = {68, 83, 100, 81, 83, 97, 94, 108, 103, 88, 97, 52, 83, 93, 59, 90, 99, 111, 101, 123, 118, 70, 92,
        93, 96, 86, 104, 106, 72, 109};
    MannWhitneyResult result = MannWhitneyU.test(c, d);
    // scipy.stats.mannwhitneyu(c, d): method "auto" picks "asymptotic" because of ties
    assertFalse(result.exact());
    assertEquals(171.5, result.u());
    assertEquals(0.06752035264660154, result.pTwoSided(), 1e-14);
  }

  @Test
  void normalApproximationWithTiesMatchesScipyAtBenchmarkSize() {
    MannWhitneyResult result = MannWhitneyU.test(NEW_45, BASE_50);
    // scipy.stats.mannwhitneyu(new, base, method="asymptotic", use_continuity=True), two-sided and "greater"
    assertEquals(1409, result.u());
    assertEquals(0.034455053379722086, result.pTwoSided(), 1e-13);
    assertEquals(0.017227526689861043, result.pGreater(), 1e-13);
  }

  @Test
  void identicalConstantSamplesGiveNoEvidence() {
    MannWhitneyResult result = MannWhitneyU.test(new double[] {5, 5, 5, 5, 5, 5, 5, 5, 5},
        new double[] {5, 5, 5, 5, 5, 5, 5, 5, 5});
    assertEquals(40.5, result.u());
    assertEquals(1.0, result.pTwoSided());
    assertEquals(1.0, result.pGreater());
  }
}
