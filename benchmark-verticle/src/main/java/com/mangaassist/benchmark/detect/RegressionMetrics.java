package com.mangaassist.benchmark.detect;

import com.mangaassist.benchmark.compare.Severity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the benchmark role exposes on {@code /metrics}: the latest severity per intent and metric
 * ({@code benchmark_regression_severity}, 0 none … 3 SEV-1: the "metric flag" a dashboard or alert rule reads), and
 * counts of runs, alerts and rollbacks. The alert and rollback counters exist at 0 from the start, so that a dashboard's
 * {@code increase()} reads 0, not "no data", before the first one.
 */
public final class RegressionMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> severities = new ConcurrentHashMap<>();
  private final Counter runs;

  public RegressionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.runs = Counter.builder("benchmark_runs").description("synthetic replays judged").register(registry);
    for (Severity paged : List.of(Severity.SEV_2, Severity.SEV_1)) {
      registry.counter("benchmark_alerts", "severity", paged.label());
    }
    RegressionActions.ROLLBACK_TARGETS.forEach(target -> registry.counter("benchmark_rollbacks", "target", target));
  }

  void flag(String intent, String metric, Severity severity) {
    severities.computeIfAbsent(intent + "\u0000" + metric, key -> {
      AtomicInteger level = new AtomicInteger();
      Gauge.builder("benchmark_regression_severity", level, AtomicInteger::get)
          .description("latest regression severity of an intent and metric: 0 none, 1 SEV-3, 2 SEV-2, 3 SEV-1")
          .tag("intent", intent).tag("metric", metric).register(registry);
      return level;
    }).set(severity.ordinal());
  }

  void alerted(String severity) {
    registry.counter("benchmark_alerts", "severity", severity).increment();
  }

  void rolledBack(String target) {
    registry.counter("benchmark_rollbacks", "target", target).increment();
  }

  public void runJudged() {
    runs.increment();
  }
}
