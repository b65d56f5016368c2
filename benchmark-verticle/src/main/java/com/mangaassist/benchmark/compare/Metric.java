package com.mangaassist.benchmark.compare;

/** The latencies a run records per request, by their key in run files and comparison JSON. */
public enum Metric {
  /** Client-side time from sending the question to the first non-empty text delta. */
  TTFT_MS("ttft_ms"),
  /** Client-side time from sending the question to the end of the answer. */
  TOTAL_MS("total_ms");

  private final String key;

  Metric(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
