package com.mangaassist.benchmark.stats;

/**
 * Natural logarithms of binomial coefficients, for the exact tests' probabilities: the coefficients themselves
 * overflow a double beyond about C(1030, 515), the logarithms never do.
 */
final class LogBinomial {

  /** ln(k!) for k = 0..length−1; grown on demand and replaced whole, so readers never see a partial table. */
  private static volatile double[] logFactorials = {0.0};

  private LogBinomial() {}

  /** ln C(n, k); −∞ when k is outside 0..n (the coefficient is 0). */
  static double logChoose(int n, int k) {
    if (k < 0 || k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }

  static double logFactorial(int n) {
    double[] table = logFactorials;
    if (n >= table.length) {
      table = grow(n);
    }
    return table[n];
  }

  private static synchronized double[] grow(int n) {
    double[] table = logFactorials;
    if (n < table.length) {
      return table;
    }
    // a running sum of logarithms: its rounding error stays far below what a p-value needs
    double[] larger = new double[Math.max(n + 1, 2 * table.length)];
    System.arraycopy(table, 0, larger, 0, table.length);
    for (int i = table.length; i < larger.length; i++) {
      larger[i] = larger[i - 1] + Math.log(i);
    }
    logFactorials = larger;
    return larger;
  }
}
