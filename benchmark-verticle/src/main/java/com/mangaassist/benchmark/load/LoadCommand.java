package com.mangaassist.benchmark.load;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** {@code bin/mangaassist load …}: runs {@link LoadGenerator} and prints a table or, with {@code --json}, one object. */
public final class LoadCommand {

  private LoadCommand() {}

  /** Returns the process exit code: 0 done, 1 the run failed (no socket, no answer), 2 bad options. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    LoadOptions options;
    QueryMix mix;
    try {
      options = LoadOptions.parse(args);
      mix = QueryMix.load(options.mix(), options.seed(), options.fresh());
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("load: " + e.getMessage());
      err.println(LoadOptions.USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      long limitSeconds = options.duration().toSeconds() + options.answerTimeout().toSeconds() + 600;
      JsonObject report = new LoadGenerator(vertx, options, mix, err::println).run().await(limitSeconds, TimeUnit.SECONDS);
      if (options.json()) {
        out.println(report.encode());
      } else {
        printTable(report, out);
      }
      return report.getJsonObject("results").getLong("completed") > 0 ? 0 : 1;
    } catch (Exception e) {
      err.println("load failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  static void printTable(JsonObject r, PrintStream out) {
    JsonObject c = r.getJsonObject("connections");
    JsonObject q = r.getJsonObject("queries");
    JsonObject res = r.getJsonObject("results");
    JsonObject s = r.getJsonObject("server");
    out.printf(Locale.ROOT, "%nload: %s, %.1f queries/s for %.0f s (first %.0f s not counted)%s%n", r.getString("url"),
        r.getDouble("rate_per_s"), r.getDouble("duration_s"), r.getDouble("warmup_s"),
        r.getBoolean("fresh_questions") ? ", fresh questions" : "");
    out.printf(Locale.ROOT, "connections: %d held of %d (%d failed, %d dropped)%n", c.getInteger("held_at_end"),
        c.getInteger("requested"), c.getInteger("failed"), c.getInteger("dropped_during_run"));
    out.printf(Locale.ROOT, "queries: %d measured, %.2f/s achieved, in flight mean %.1f max %d, %d due but no idle socket%n",
        q.getLong("measured"), q.getDouble("achieved_rate_per_s"), q.getDouble("in_flight_mean"),
        q.getInteger("in_flight_max"), q.getLong("not_sent_no_idle_socket"));
    out.printf(Locale.ROOT, "answers: %d (%s), errors: %d %s%n", res.getLong("completed"),
        res.getJsonObject("by_source").encode(), res.getLong("errors"), res.getJsonObject("errors_by_code").encode());
    out.printf(Locale.ROOT, "%n%-36s %8s %9s %9s %9s %9s %9s%n", "ms", "count", "p50", "p90", "p99", "p99.9", "max");
    row(out, "client time to first token", res.getJsonObject("client_ttft_ms"));
    row(out, "server overhead (model answers)", res.getJsonObject("server_overhead_ms"));
    row(out, "server before model call", res.getJsonObject("pre_model_ms"));
    row(out, "model's own time to first token", res.getJsonObject("model_ttft_ms"));
    row(out, "client total", res.getJsonObject("client_total_ms"));
    out.printf(Locale.ROOT, "%nstreamed: %.1f chunks/s, %.1f chars/s%n", res.getDouble("chunks_per_s"),
        res.getDouble("chars_per_s"));
    if (s.containsKey("heap_used_mb_max")) {
      out.printf(Locale.ROOT, "server: heap used max %.1f MB (end %.1f MB)", s.getDouble("heap_used_mb_max"),
          s.getDouble("heap_used_mb_end"));
    } else {
      out.print("server: no heap figure (/metrics " + s.getString("last_failure", "unreadable") + ")");
    }
    if (s.containsKey("cpu_mean")) {
      out.printf(Locale.ROOT, ", CPU mean %.0f %% max %.0f %% of all cores", 100 * s.getDouble("cpu_mean"),
          100 * s.getDouble("cpu_max"));
    }
    out.println();
  }

  private static void row(PrintStream out, String name, JsonObject h) {
    if (h.getLong("count") == 0) {
      out.printf(Locale.ROOT, "%-36s %8d %9s%n", name, 0, "-");
      return;
    }
    out.printf(Locale.ROOT, "%-36s %8d %9.2f %9.2f %9.2f %9.2f %9.2f%n", name, h.getLong("count"), h.getDouble("p50"),
        h.getDouble("p90"), h.getDouble("p99"), h.getDouble("p99_9"), h.getDouble("max"));
  }
}
