package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void matchesTheNearestRankExamplesOfWikipedia() {
    // https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method, first worked example
    double[] five = {15, 20, 35, 40, 50};
    assertEquals(15, Percentiles.of(five, 0.05));
    assertEquals(20, Percentiles.of(five, 0.30));
    // the list form the reports use is the same estimator
    assertEquals(20, Percentiles.ofSorted(java.util.List.of(15.0, 20.0, 35.0, 40.0, 50.0), 0.30));
    assertEquals(50, Percentiles.ofSorted(java.util.List.of(15.0, 20.0, 35.0, 40.0, 50.0), 0.99));
    assertEquals(20, Percentiles.of(five, 0.40));
    assertEquals(35, Percentiles.of(five, 0.50));
    assertEquals(50, Percentiles.of(five, 1.00));
    // second worked example, given unsorted here
    double[] ten = {20, 3, 16, 6, 8, 15, 7, 13, 8, 10};
    assertEquals(7, Percentiles.of(ten, 0.25));
    assertEquals(8, Percentiles.of(ten, 0.50));
    assertEquals(15, Percentiles.of(ten, 0.75));
    assertEquals(20, Percentiles.of(ten, 1.00));
  }

  @Test
  void matchesNumpysInvertedCdfMethod() {
    double[] samples = {403.6, 454.6, 361.5, 282.5, 336.3, 271.3, 413.3, 689.6, 331.3, 314.8, 490.8, 465.3, 420.8,
        278.1, 398.7, 532.8, 235.6, 335.9, 188.6, 240.9, 193.1, 367.2, 243.0, 449.7, 429.5, 374.4, 147.4, 325.2,
        395.7, 422.1, 218.8, 333.3, 272.8, 291.9, 616.7, 292.1, 398.2};
    // numpy.percentile(samples, 100 * q, method="inverted_cdf"), numpy 2.x
    assertEquals(147.4, Percentiles.of(samples, 0.0));
    assertEquals(147.4, Percentiles.of(samples, 0.01));
    assertEquals(193.1, Percentiles.of(samples, 0.07));
    assertEquals(336.3, Percentiles.of(samples, 0.5));
    assertEquals(490.8, Percentiles.of(samples, 0.9));
    assertEquals(616.7, Percentiles.of(samples, 0.95));
    assertEquals(689.6, Percentiles.of(samples, 0.99));
    assertEquals(689.6, Percentiles.of(samples, 1.0));
  }

  @Test
  void agreesWithHdrHistogramUpToItsResolution() {
    Histogram histogram = new Histogram(3_600_000L, 3);
    double[] samples = new double[997];
    for (int i = 0; i < samples.length; i++) {
      // a deterministic, skewed spread of whole milliseconds
      samples[i] = 200 + (i * 7919L % 997) * (i % 13 == 0 ? 9 : 1);
      histogram.recordValue((long) samples[i]);
    }
    for (double q : new double[] {0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      long ours = (long) Percentiles.of(samples, q);
      assertEquals(histogram.highestEquivalentValue(ours), histogram.getValueAtPercentile(100 * q), "q=" + q);
    }
  }

  @Test
  void takesTheRankInDecimalNotBinary() {
    // 0.07 × 100 is 7.000000000000001 in binary floating point; the 7th value is meant
    assertEquals(7, Percentiles.rank(0.07, 100));
    assertEquals(48, Percentiles.rank(0.95, 50));
    assertEquals(1, Percentiles.rank(0.0, 50));
    assertEquals(25, Percentiles.rank(0.5, 50));
  }

  @Test
  void leavesTheSamplesAsTheyWere() {
    double[] samples = {3, 1, 2};
    Percentiles.median(samples);
    assertArrayEquals(new double[] {3, 1, 2}, samples);
  }

  @Test
  void refusesNoSamplesAndQuantilesOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[0], 0.5));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[] {1}, 95));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[] {1}, Double.NaN));
  }
}
