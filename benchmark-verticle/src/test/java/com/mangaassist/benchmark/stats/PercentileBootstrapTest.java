package com.mangaassist.benchmark.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checked against the exact bootstrap distribution (infinitely many resamples): for a sample of n distinct values,
 * the nearest-rank quantile of rank r of a resample is at most the j-th smallest value exactly when at least r of
 * the n draws fall among the j smallest, so P(Q* ≤ x₍ⱼ₎) = P(Binomial(n, j/n) ≥ r), computed with
 * {@code scipy.stats.binom.sf(r − 1, n, j / n)}.
 */
class PercentileBootstrapTest {

  private static final int RESAMPLES = 20_000;

  @Test
  void medianIntervalIsTheExactBootstrapInterval() {
    double[] sample = {412.5, 388.1, 296.4, 530.2, 441.0, 365.7, 402.3, 478.9, 351.2, 620.4, 333.3, 455.5, 391.9,
        287.6, 503.1, 376.4, 429.8, 398.2, 468.7, 344.9, 410.6, 572.3, 359.0, 437.1, 381.5};
    double[] sorted = sample.clone();
    Arrays.sort(sorted);
    IntervalEstimate median = new PercentileBootstrap(RESAMPLES, 42).quantile(sample, 0.5, 0.90);
    // n = 25, r = 13: the exact bootstrap cdf first reaches 0.05 at x₍₉₎ and 0.95 at x₍₁₇₎, each more than 0.02
    // from the neighbouring steps, far beyond the Monte Carlo error of 20,000 resamples
    assertEquals(sorted[12], median.estimate());
    assertEquals(sorted[8], median.lower());
    assertEquals(sorted[16], median.upper());
  }

  @Test
  void p95RatioIntervalBracketsTheExactBootstrapQuantiles() {
    double[] base = {314.4, 430.2, 243.4, 487.0, 563.7, 349.2, 455.1, 431.3, 355.4, 308.8, 217.4, 610.7, 394.3, 852.5,
        512.5, 434.8, 328.4, 607.4, 343.6, 640.6, 354.9, 422.9, 253.3, 807.9, 388.9, 356.4, 510.2, 306.1, 503.6, 281.5,
        471.1, 292.4, 230.5, 334.7, 257.8, 472.2, 402.6, 466.1, 411.1, 359.7};
    double[] newer = {463.9, 630.8, 435.4, 366.0, 343.9, 430.4, 367.3, 808.7, 323.0, 332.5, 419.7, 559.0, 424.5, 345.1,
        361.1, 414.1, 616.0, 343.0, 447.6, 382.7, 507.1, 518.2, 296.4, 941.3, 486.9, 394.8, 351.8, 425.5, 464.4, 549.9,
        460.8, 531.9, 283.8, 367.1, 340.1, 483.3, 527.8, 296.3, 437.4, 571.8};
    IntervalEstimate ratio = new PercentileBootstrap(RESAMPLES, 7).quantileRatio(newer, base, 0.95, 0.90);
    // observed: x₍₃₈₎ of new over x₍₃₈₎ of base
    assertEquals(0.9847018420231032, ratio.estimate(), 1e-15);
    // exact distribution of the ratio of two independent exact bootstrap p95s (40 × 40 atoms, Python). Allowing
    // 4 Monte Carlo standard errors of a 5 % point at 20,000 resamples (0.0062) either side, its 5 % point lies in
    // [0.69192, 0.70776] and its 95 % point in [1.46940, 1.54135]
    assertTrue(ratio.lower() >= 0.6919173164995668 && ratio.lower() <= 0.707760861492759, "lower " + ratio.lower());
    assertTrue(ratio.upper() >= 1.4694036840462066 && ratio.upper() <= 1.5413459963975764, "upper " + ratio.upper());
  }

  @Test
  void theSameSeedGivesTheSameIntervalWhateverRanBefore() {
    double[] base = {300, 320, 340, 360, 380, 400, 420, 440, 460, 700};
    double[] newer = {310, 330, 350, 370, 390, 410, 430, 450, 470, 900};
    PercentileBootstrap bootstrap = new PercentileBootstrap(500, 3);
    IntervalEstimate first = bootstrap.quantileRatio(newer, base, 0.95, 0.90);
    bootstrap.quantile(newer, 0.5, 0.95);
    assertEquals(first, bootstrap.quantileRatio(newer, base, 0.95, 0.90));
    assertEquals(first, new PercentileBootstrap(500, 3).quantileRatio(newer, base, 0.95, 0.90));
  }
}
