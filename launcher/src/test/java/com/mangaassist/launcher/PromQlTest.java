package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric names of PromQL expressions, as Prometheus's own grammar (lezer-promql) finds them. */
class PromQlTest {

  @Test
  void quantilesOverHistogramBucketsReadTheBucketSeries() {
    assertEquals(Set.of("first_token_latency_ms_bucket"), PromQl.metricNames(
        "histogram_quantile(0.95, sum by (le, intent, model) (rate(first_token_latency_ms_bucket{intent=~\"$intent\"}"
            + "[$__rate_interval])))"));
  }

  @Test
  void labelListsMatchersStringsAndKeywordsAreNotMetrics() {
    assertEquals(Set.of("semantic_cache_lookups_total"), PromQl.metricNames(
        "sum by (outcome) (rate(semantic_cache_lookups_total[5m])) / ignoring(outcome) group_left "
            + "sum(rate(semantic_cache_lookups_total{outcome!~\"disabled_intent|missing_user\"}[5m]))"));
    assertEquals(Set.of("x_total", "y_total"), PromQl.metricNames(
        "sum(rate(x_total{outcome=~\"a|b(c) {d}\"}[5m] offset 1h)) / on (job) sum(rate(y_total[5m:1m])) > bool 0.5e3"));
    assertEquals(Set.of("node_cpu_seconds_total"), PromQl.metricNames(
        "1 - avg without (cpu) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])) or vector(0)"));
  }

  @Test
  void aBareSelectorAndSeveralMetricsInOneExpression() {
    assertEquals(Set.of("chat_connections_open"), PromQl.metricNames("chat_connections_open"));
    assertEquals(Set.of("tokens_per_second_sum", "tokens_per_second_count"), PromQl.metricNames(
        "sum by (model) (rate(tokens_per_second_sum[5m])) / sum by (model) (rate(tokens_per_second_count[5m]))"));
  }
}
