package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EffectSizeTest {

  private static final double[] BASE = {540, 650, 560, 300, 260, 410, 520, 470, 690, 500, 480, 320, 290, 620, 410,
      510, 260, 350, 270, 320, 520, 260, 340, 420, 330, 370, 370, 450, 350, 430, 410, 450, 430, 660, 330, 570, 350,
      300, 580, 350, 360, 260, 210, 480, 280, 510, 700, 390, 290, 450};
  private static final double[] NEW = {550, 410, 440, 660, 640, 540, 340, 430, 530, 410, 370, 350, 360, 360, 380,
      620, 350, 570, 500, 460, 340, 380, 800, 450, 520, 540, 600, 410, 370, 430, 410, 560, 470, 470, 460, 640, 370,
      380, 570, 430, 490, 350, 440, 500, 300};

  @Test
  void cliffsDeltaMatchesTheEffsizeDocumentationExample() {
    // R effsize::cliff.delta documentation example: cliff.delta(treatment, control) = -0.25 ("small")
    double[] treatment = {10, 10, 20, 20, 20, 30, 30, 30, 40, 50};
    double[] control = {10, 20, 30, 40, 40, 50};
    assertEquals(-0.25, CliffsDelta.of(treatment, control), 1e-15);
  }

  @Test
  void cliffsDeltaCountsDominanceOverAllPairs() {
    // (#(new > base) − #(new < base)) / (45·50), counted pair by pair in Python
    assertEquals(0.25244444444444447, CliffsDelta.of(NEW, BASE), 1e-14);
    assertEquals(1.0, CliffsDelta.of(new double[] {5, 6}, new double[] {1, 2, 3}));
    assertEquals(-1.0, CliffsDelta.of(new double[] {1, 2, 3}, new double[] {5, 6}));
  }

  @Test
  void cohensDUsesThePooledStandardDeviation() {
    // (mean(new) − mean(base)) / sqrt(((n1−1)·var(new, ddof=1) + (n2−1)·var(base, ddof=1)) / (n1+n2−2)), numpy
    assertEquals(0.4030689262268444, CohensD.of(NEW, BASE), 1e-13);
  }

  @Test
  void cohensDOfConstantSamples() {
    assertTrue(Double.isNaN(CohensD.of(new double[] {3, 3}, new double[] {3, 3})));
    assertEquals(Double.POSITIVE_INFINITY, CohensD.of(new double[] {4, 4}, new double[] {3, 3}));
  }
}
