package com.mangaassist.benchmark.compare;

import io.vertx.core.json.JsonArray;

/**
 * Thresholds of one row of the severity table: a value strictly above {@code sev3} is SEV-3, strictly above
 * {@code sev2} SEV-2, strictly above {@code sev1} SEV-1. "Strictly above" is the only reading consistent with the
 * seed's "&gt; 50 %" for SEV-1, and is applied to every band alike, so +25 % exactly is still SEV-3.
 */
public record SeverityBands(double sev3, double sev2, double sev1) {

  public SeverityBands {
    if (!(sev3 < sev2 && sev2 < sev1)) {
      throw new IllegalArgumentException("severity bands must increase: " + sev3 + ", " + sev2 + ", " + sev1);
    }
  }

  /**
   * The band of a ratio new/reference, as an increase: {@code ratio} strictly above 1 + threshold. Compared as ratios
   * because ratio − 1 is not exact: 550/500 − 1 is 0.10000000000000009, which would make exactly +10 % SEV-3.
   */
  public Severity classifyIncrease(double ratio) {
    if (ratio > 1 + sev1) {
      return Severity.SEV_1;
    }
    if (ratio > 1 + sev2) {
      return Severity.SEV_2;
    }
    return ratio > 1 + sev3 ? Severity.SEV_3 : Severity.NONE;
  }

  /** The band of a plain value, such as an error rate. */
  public Severity classify(double value) {
    if (value > sev1) {
      return Severity.SEV_1;
    }
    if (value > sev2) {
      return Severity.SEV_2;
    }
    return value > sev3 ? Severity.SEV_3 : Severity.NONE;
  }

  /** {@code [sev3, sev2, sev1]}, or the fallback when absent. */
  static SeverityBands fromJson(JsonArray bands, SeverityBands fallback) {
    if (bands == null) {
      return fallback;
    }
    if (bands.size() != 3) {
      throw new IllegalArgumentException("severity bands need three thresholds [SEV-3, SEV-2, SEV-1]: " + bands);
    }
    return new SeverityBands(bands.getDouble(0), bands.getDouble(1), bands.getDouble(2));
  }
}
