package com.mangaassist.benchmark.compare;

/**
 * The verdict of one run for one intent and metric.
 *
 * @param intent the intent
 * @param metric the latency
 * @param severity the run's severity for it
 */
public record Finding(String intent, Metric metric, Severity severity) {

  public static Finding of(MetricComparison comparison) {
    return new Finding(comparison.intent(), comparison.metric(), comparison.severity());
  }
}
