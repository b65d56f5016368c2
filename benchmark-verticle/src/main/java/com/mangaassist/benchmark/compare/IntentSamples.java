package com.mangaassist.benchmark.compare;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One intent's measurements in a run.
 *
 * @param ttftMs first-token latency of each measured request that produced a first token
 * @param totalMs total latency of each measured request that completed
 * @param errors measured requests that failed
 * @param count measured requests, warm-up excluded: the error rate is errors / count
 * @param warmupDiscarded requests sent before measuring and not counted anywhere else
 */
public record IntentSamples(double[] ttftMs, double[] totalMs, int errors, int count, int warmupDiscarded) {

  public double[] samples(Metric metric) {
    return metric == Metric.TTFT_MS ? ttftMs : totalMs;
  }

  public double errorRate() {
    return (double) errors / count;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put(Metric.TTFT_MS.key(), toArray(ttftMs))
        .put(Metric.TOTAL_MS.key(), toArray(totalMs))
        .put("errors", errors)
        .put("count", count)
        .put("warmup_discarded", warmupDiscarded);
  }

  /** Reads and validates {@code json}; {@code where} (e.g. "run.json: intents.faq") prefixes every complaint. */
  static IntentSamples fromJson(JsonObject json, String where) {
    int count = nonNegativeInteger(json, "count", where);
    int errors = nonNegativeInteger(json, "errors", where);
    if (count == 0) {
      throw new InvalidRunFileException(where + ".count: no measured requests");
    }
    if (errors > count) {
      throw new InvalidRunFileException(where + ".errors: " + errors + " errors of " + count + " requests");
    }
    double[] ttft = latencies(json, Metric.TTFT_MS, count, where);
    double[] total = latencies(json, Metric.TOTAL_MS, count, where);
    int warmup = json.containsKey("warmup_discarded") ? nonNegativeInteger(json, "warmup_discarded", where) : 0;
    return new IntentSamples(ttft, total, errors, count, warmup);
  }

  private static int nonNegativeInteger(JsonObject json, String key, String where) {
    Object value = json.getValue(key);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
        || number.doubleValue() < 0 || number.doubleValue() > Integer.MAX_VALUE) {
      throw new InvalidRunFileException(where + "." + key + ": expected a non-negative integer, found " + value);
    }
    return number.intValue();
  }

  private static double[] latencies(JsonObject json, Metric metric, int count, String where) {
    Object value = json.getValue(metric.key());
    if (!(value instanceof JsonArray array)) {
      throw new InvalidRunFileException(where + "." + metric.key() + ": expected an array of milliseconds, found "
          + value);
    }
    if (array.size() > count) {
      throw new InvalidRunFileException(where + "." + metric.key() + ": " + array.size()
          + " latencies but only " + count + " measured requests");
    }
    double[] latencies = new double[array.size()];
    for (int i = 0; i < latencies.length; i++) {
      Object element = array.getValue(i);
      if (!(element instanceof Number number) || !Double.isFinite(number.doubleValue()) || number.doubleValue() < 0) {
        throw new InvalidRunFileException(where + "." + metric.key() + "[" + i
            + "]: expected a non-negative number of milliseconds, found " + element);
      }
      latencies[i] = number.doubleValue();
    }
    return latencies;
  }

  private static JsonArray toArray(double[] values) {
    JsonArray array = new JsonArray();
    for (double value : values) {
      array.add(value);
    }
    return array;
  }
}
