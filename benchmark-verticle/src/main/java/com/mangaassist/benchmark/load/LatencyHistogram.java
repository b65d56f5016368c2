package com.mangaassist.benchmark.load;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * Milliseconds recorded in an HdrHistogram at microsecond resolution, 3 significant digits, up to 10 minutes.
 * Percentiles are HdrHistogram's {@code getValueAtPercentile}: the nearest-rank value (the smallest recorded
 * value with at least q of the samples at or below it), exact to the histogram's resolution.
 */
final class LatencyHistogram {

  private static final long MAX_MICROS = 600_000_000L;
  private final Histogram histogram = new Histogram(MAX_MICROS, 3);

  void record(double millis) {
    long micros = Math.round(millis * 1000);
    histogram.recordValue(Math.max(0, Math.min(MAX_MICROS, micros)));
  }

  long count() {
    return histogram.getTotalCount();
  }

  double percentile(double q) {
    return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(q) / 1000.0;
  }

  /** {@code count, mean, p50, p90, p99, p99_9, max} in ms; only {@code count} when nothing was recorded. */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("count", count());
    if (count() == 0) {
      return json;
    }
    return json.put("mean", round(histogram.getMean() / 1000.0))
        .put("p50", round(percentile(50)))
        .put("p90", round(percentile(90)))
        .put("p99", round(percentile(99)))
        .put("p99_9", round(percentile(99.9)))
        .put("max", round(histogram.getMaxValue() / 1000.0));
  }

  private static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}
