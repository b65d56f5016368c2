package com.mangaassist.benchmark.compare;

import com.mangaassist.benchmark.stats.IntervalEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A comparison as a benchstat-style text table: per intent and metric the base and new median (± the half-width of
 * its bootstrap interval, relative) and p95, the change of each with its p-value or {@code ~} when not significant,
 * the p95 ratio's interval, the error rates and the severity.
 */
final class ComparisonTable {

  private static final String[] HEADER = {"intent", "metric", "base median", "new median", "Δ median", "base p95",
      "new p95", "Δ p95", "p95 ratio CI", "errors", "severity"};

  private final RegressionSettings settings;

  ComparisonTable(RegressionSettings settings) {
    this.settings = settings;
  }

  String render(RunComparison comparison) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (MetricComparison row : comparison.comparisons()) {
      rows.add(cells(row));
    }
    StringBuilder text = new StringBuilder(aligned(rows));
    text.append(String.format(Locale.ROOT, "%nΔ = new/base − 1. Δ median: two-sided Mann-Whitney p, ~ when p ≥ %s. "
        + "Δ p95: one-sided tail-exceedance p, ~ when p ≥ %s (α/2).%n± and CI: %s %% bootstrap intervals. "
        + "Latencies in ms; errors are the share of failed requests.%n",
        decimal(settings.alpha()), decimal(settings.alpha() / 2), decimal(100 * settings.confidence())));
    if (!comparison.unmatchedIntents().isEmpty()) {
      text.append("not compared (measured in one run only): ")
          .append(String.join(", ", comparison.unmatchedIntents())).append('\n');
    }
    return text.toString();
  }

  private String[] cells(MetricComparison row) {
    LatencyStatistics latency = row.latency();
    return new String[] {
        row.intent(),
        row.metric().key(),
        median(latency.medianBase()),
        median(latency.medianNew()),
        change(latency.medianNew().estimate() / latency.medianBase().estimate(), latency.mannWhitney().pTwoSided(),
            settings.alpha()),
        millis(latency.p95Base()),
        millis(latency.p95New()),
        change(latency.p95Ratio().estimate(), latency.tailP(), settings.alpha() / 2),
        "[" + percent(latency.p95Ratio().lower() - 1) + ", " + percent(latency.p95Ratio().upper() - 1) + "]",
        rate(row.errorRateBase()) + " → " + rate(row.errorRateNew()),
        row.severity().label()};
  }

  private static String median(IntervalEstimate median) {
    if (!Double.isFinite(median.estimate())) {
      return "-";
    }
    double halfWidth = Math.max(median.upper() - median.estimate(), median.estimate() - median.lower());
    return millis(median.estimate()) + " ±" + Math.round(100 * halfWidth / median.estimate()) + "%";
  }

  private static String change(double ratio, double p, double level) {
    if (!Double.isFinite(ratio)) {
      return "-";
    }
    return p < level
        ? percent(ratio - 1) + " (p=" + String.format(Locale.ROOT, "%.3g", p) + ")"
        : "~";
  }

  private static String millis(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value) : "-";
  }

  private static String percent(double change) {
    return Double.isFinite(change) ? String.format(Locale.ROOT, "%+.1f%%", 100 * change) : "-";
  }

  private static String rate(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  private static String decimal(double value) {
    return String.format(Locale.ROOT, "%.4g", value).replaceAll("\\.?0+$", "");
  }

  private static String aligned(List<String[]> rows) {
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format(Locale.ROOT, "%-" + widths[i] + "s", row[i])).append(i + 1 < row.length ? "  " : "");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
