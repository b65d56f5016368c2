package com.mangaassist.benchmark.report;

import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.Metric;
import com.mangaassist.benchmark.detect.RunVerdict;
import com.mangaassist.benchmark.replay.ReplayRun;
import com.mangaassist.benchmark.stats.Percentiles;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * One run as a self-contained HTML page (inline CSS and SVG, no script, nothing fetched): per intent the percentiles
 * of client time to first token and total time, their empirical CDFs, and, when the run was judged against a
 * baseline, the verdict table. Percentiles are the project's one estimator ({@link Percentiles}, nearest rank).
 */
public final class HtmlReport {

  private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};
  private static final int WIDTH = 520;
  private static final int HEIGHT = 180;
  private static final int MARGIN = 36;
  private static final String TTFT_COLOUR = "#1f77b4";
  private static final String TOTAL_COLOUR = "#d62728";

  private HtmlReport() {}

  /** {@code verdict} may be null: a run from {@code bench run} has no baseline. */
  public static String render(ReplayRun run, RunVerdict verdict) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MangaAssist benchmark ")
        .append(escape(run.runId())).append("</title>\n<style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;")
        .append("margin:8px 0 16px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
        .append("td.l,th.l{text-align:left}.SEV-1{background:#f8c4c4}.SEV-2{background:#fbd9b0}.SEV-3{background:#fdf1b8}")
        .append("h2{margin-top:28px}svg{background:#fafafa;border:1px solid #ddd}</style></head><body>\n");
    html.append("<h1>MangaAssist benchmark run ").append(escape(run.runId())).append("</h1>\n<p>Target ")
        .append(escape(run.runFile().target())).append(", started ").append(escape(run.runFile().started()))
        .append(", versions ").append(escape(run.versions().encode()));
    if (verdict != null) {
      html.append(", worst severity <b>").append(verdict.worstSeverity().label()).append("</b>");
    }
    html.append(". Times in ms, measured at the client; percentiles by nearest rank.</p>\n");
    if (verdict != null) {
      verdicts(html, verdict);
    }
    run.runFile().intents().forEach((intent, samples) -> intentSection(html, intent, samples));
    return html.append("</body></html>\n").toString();
  }

  private static void verdicts(StringBuilder html, RunVerdict verdict) {
    JsonObject summary = verdict.toJson();
    html.append("<h2>Verdicts against the baseline</h2>\n");
    if (summary.getJsonArray("verdicts").isEmpty()) {
      html.append("<p>No baseline yet for these intents: this run starts it.</p>\n");
      return;
    }
    html.append("<table><tr><th class=l>intent</th><th class=l>metric</th><th>n base</th><th>n new</th>")
        .append("<th>median base</th><th>median new</th><th>p95 base</th><th>p95 new</th><th>p95 ratio</th>")
        .append("<th>Mann-Whitney p (slower)</th><th>tail p</th><th>HL shift</th><th>errors base/new</th>")
        .append("<th class=l>severity</th><th class=l>action</th></tr>\n");
    for (Object entry : summary.getJsonArray("verdicts")) {
      JsonObject row = (JsonObject) entry;
      String severity = row.getString("severity");
      html.append("<tr class=\"").append(escape(severity)).append("\"><td class=l>").append(escape(row.getString("intent")))
          .append("</td><td class=l>").append(escape(row.getString("metric"))).append("</td>")
          .append(cell(row.getValue("n_base"))).append(cell(row.getValue("n_new")))
          .append(cell(row.getValue("median_base"))).append(cell(row.getValue("median_new")))
          .append(cell(row.getValue("p95_base"))).append(cell(row.getValue("p95_new")))
          .append(cell(row.getValue("p95_ratio"))).append(pCell(row.getValue("mwu_p_greater")))
          .append(pCell(row.getValue("tail_p"))).append(cell(row.getValue("hl_shift_ms")))
          .append("<td>").append(percent(row.getDouble("error_rate_base"))).append(" / ")
          .append(percent(row.getDouble("error_rate_new"))).append("</td><td class=l>").append(escape(severity))
          .append("</td><td class=l>").append(escape(row.getString("action"))).append(" (")
          .append(row.getInteger("consecutive_runs")).append(" run(s))</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void intentSection(StringBuilder html, String intent, IntentSamples samples) {
    html.append("<h2>").append(escape(intent)).append("</h2>\n<p>").append(samples.count())
        .append(" measured questions, ").append(samples.errors()).append(" errors, ")
        .append(samples.warmupDiscarded()).append(" warm-up discarded.</p>\n");
    html.append("<table><tr><th class=l>metric</th><th>n</th>");
    for (double quantile : QUANTILES) {
      html.append("<th>p").append(String.format(Locale.ROOT, "%.0f", quantile * 100)).append("</th>");
    }
    html.append("<th>max</th></tr>\n");
    for (Metric metric : Metric.values()) {
      double[] values = samples.samples(metric);
      html.append("<tr><td class=l>").append(metric.key()).append("</td><td>").append(values.length).append("</td>");
      for (double quantile : QUANTILES) {
        html.append(values.length == 0 ? "<td>-</td>" : cell(Percentiles.of(values, quantile)));
      }
      html.append(values.length == 0 ? "<td>-</td>" : cell(Arrays.stream(values).max().orElse(0)))
          .append("</tr>\n");
    }
    html.append("</table>\n");
    cdf(html, intent, samples);
  }

  /** Both metrics' empirical CDFs on one time axis: a step line per metric, 0 to the slowest total. */
  private static void cdf(StringBuilder html, String intent, IntentSamples samples) {
    double max = Math.max(max(samples.ttftMs()), max(samples.totalMs()));
    if (max <= 0) {
      return;
    }
    html.append("<svg width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"CDF of latencies for ").append(escape(intent)).append("\">\n");
    int plotWidth = WIDTH - 2 * MARGIN;
    int plotHeight = HEIGHT - 2 * MARGIN;
    html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
        MARGIN, MARGIN + plotHeight, MARGIN + plotWidth, MARGIN + plotHeight));
    html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
        MARGIN, MARGIN, MARGIN, MARGIN + plotHeight));
    for (double fraction : new double[] {0, 0.5, 1}) {
      html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%.1f</text>",
          MARGIN - 4, MARGIN + plotHeight * (1 - fraction) + 3, fraction));
      html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%.0f ms</text>",
          MARGIN + plotWidth * fraction, HEIGHT - MARGIN + 14, max * fraction));
    }
    html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#bbb\""
        + " stroke-dasharray=\"3,3\"/>", MARGIN, MARGIN + plotHeight * 0.05, MARGIN + plotWidth,
        MARGIN + plotHeight * 0.05));
    steps(html, samples.ttftMs(), max, plotWidth, plotHeight, TTFT_COLOUR);
    steps(html, samples.totalMs(), max, plotWidth, plotHeight, TOTAL_COLOUR);
    html.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"11\" fill=\"%s\">ttft_ms</text>"
        + "<text x=\"%d\" y=\"16\" font-size=\"11\" fill=\"%s\">total_ms</text><text x=\"%d\" y=\"16\" font-size=\"11\""
        + " fill=\"#777\">dashed: p95</text>", MARGIN, TTFT_COLOUR, MARGIN + 70, TOTAL_COLOUR, MARGIN + 150));
    html.append("</svg>\n");
  }

  private static void steps(StringBuilder html, double[] values, double max, int plotWidth, int plotHeight,
      String colour) {
    if (values.length == 0) {
      return;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    StringBuilder points = new StringBuilder();
    double previousY = MARGIN + plotHeight;
    points.append(String.format(Locale.ROOT, "%d,%.1f", MARGIN, previousY));
    for (int i = 0; i < sorted.length; i++) {
      double x = MARGIN + plotWidth * sorted[i] / max;
      double y = MARGIN + plotHeight * (1 - (i + 1.0) / sorted.length);
      points.append(String.format(Locale.ROOT, " %.1f,%.1f %.1f,%.1f", x, previousY, x, y));
      previousY = y;
    }
    html.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
        .append(points).append("\"/>\n");
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }

  private static String cell(Object value) {
    if (value instanceof Integer count) {
      return "<td>" + count + "</td>";
    }
    return value instanceof Number number ? String.format(Locale.ROOT, "<td>%.1f</td>", number.doubleValue())
        : "<td>-</td>";
  }

  private static String pCell(Object value) {
    return value instanceof Number number ? String.format(Locale.ROOT, "<td>%.2g</td>", number.doubleValue())
        : "<td>-</td>";
  }

  private static String percent(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * value);
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
