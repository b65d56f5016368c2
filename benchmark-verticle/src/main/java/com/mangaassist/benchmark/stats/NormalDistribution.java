package com.mangaassist.benchmark.stats;

/**
 * The standard normal distribution: cumulative probability, upper tail and quantile, to about 1e-13 relative
 * precision, including far in the tails where p-values of clear regressions live.
 */
public final class NormalDistribution {

  /** ln(sqrt(2π)). */
  private static final double LOG_SQRT_TWO_PI = 0.91893853320467274178;

  /** Below it the Taylor series is precise; above it the continued fraction converges quickly. */
  private static final double SERIES_LIMIT = 3.0;

  private static final int CONTINUED_FRACTION_DEPTH = 100;

  private NormalDistribution() {}

  public static double density(double x) {
    return Math.exp(-0.5 * x * x - LOG_SQRT_TWO_PI);
  }

  /** P(Z ≤ x). */
  public static double cdf(double x) {
    return upperTail(-x);
  }

  /** P(Z > x), precise also when tiny (no {@code 1 − cdf} cancellation). */
  public static double upperTail(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (Math.abs(x) <= SERIES_LIMIT) {
      return 0.5 - centralIntegral(x);
    }
    double tail = continuedFractionTail(Math.abs(x));
    return x > 0 ? tail : 1 - tail;
  }

  /** The x with P(Z ≤ x) = p. */
  public static double quantile(double p) {
    if (!(p > 0 && p < 1)) {
      if (p == 0) {
        return Double.NEGATIVE_INFINITY;
      }
      if (p == 1) {
        return Double.POSITIVE_INFINITY;
      }
      throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
    }
    if (p > 0.5) {
      return -quantile(1 - p);
    }
    // Abramowitz & Stegun 26.2.23 (error < 4.5e-4) as the start, then Newton steps on the lower tail, which is
    // computed without cancellation, to full precision
    double t = Math.sqrt(-2 * Math.log(p));
    double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
        / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
    for (int i = 0; i < 6; i++) {
      double step = (cdf(x) - p) / density(x);
      x -= step;
      if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) {
        break;
      }
    }
    return x;
  }

  /**
   * Φ(x) − 1/2 by Marsaglia's series φ(x)·(x + x³/3 + x⁵/(3·5) + …) (Marsaglia, "Evaluating the Normal
   * Distribution", J. Stat. Software 11(4), 2004): every term has the sign of x, so nothing cancels.
   */
  private static double centralIntegral(double x) {
    double sum = x;
    double term = x;
    double previous = 0;
    double square = x * x;
    for (int i = 1; sum != previous; ) {
      previous = sum;
      i += 2;
      term *= square / i;
      sum = previous + term;
    }
    return sum * density(x);
  }

  /** P(Z > x) for x > 0 by Laplace's continued fraction φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), evaluated backwards. */
  private static double continuedFractionTail(double x) {
    double fraction = x;
    for (int k = CONTINUED_FRACTION_DEPTH; k > 0; k--) {
      fraction = x + k / fraction;
    }
    return density(x) / fraction;
  }
}
