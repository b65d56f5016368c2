package com.mangaassist.benchmark.load;

import io.vertx.core.json.JsonObject;

/**
 * The orchestrator's own heap and CPU, read from its Prometheus {@code /metrics} once a second during a run
 * ({@code jvm_memory_used_bytes{area="heap"}} summed over pools, {@code process_cpu_usage}).
 */
final class ServerMetricsProbe {

  private int samples;
  private int failures;
  private String lastFailure;
  private double heapMaxMb;
  private double heapLastMb = Double.NaN;
  private double cpuSum;
  private double cpuMax;
  private int cpuSamples;

  void accept(String prometheusText) {
    double heapBytes = 0;
    boolean heapSeen = false;
    double cpu = Double.NaN;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        heapBytes += value(line);
        heapSeen = true;
      } else if (line.startsWith("process_cpu_usage")) {
        cpu = value(line);
      }
    }
    samples++;
    if (heapSeen) {
      heapLastMb = heapBytes / (1024 * 1024);
      heapMaxMb = Math.max(heapMaxMb, heapLastMb);
    }
    if (!Double.isNaN(cpu)) {
      cpuSum += cpu;
      cpuMax = Math.max(cpuMax, cpu);
      cpuSamples++;
    }
  }

  void failed(Throwable cause) {
    failures++;
    lastFailure = cause.getMessage();
  }

  private static double value(String line) {
    String[] parts = line.trim().split("\\s+");
    try {
      return Double.parseDouble(parts[parts.length - 1]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** CPU as a fraction of all cores of the server's machine (Micrometer's {@code process_cpu_usage}). */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("samples", samples).put("failed_samples", failures);
    if (lastFailure != null) {
      json.put("last_failure", lastFailure);
    }
    if (!Double.isNaN(heapLastMb)) {
      json.put("heap_used_mb_max", Math.round(heapMaxMb * 10) / 10.0).put("heap_used_mb_end", Math.round(heapLastMb * 10) / 10.0);
    }
    if (cpuSamples > 0) {
      json.put("cpu_mean", Math.round(cpuSum / cpuSamples * 1000) / 1000.0).put("cpu_max", Math.round(cpuMax * 1000) / 1000.0);
    }
    return json;
  }
}
