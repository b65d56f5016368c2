package com.mangaassist.benchmark.replay;

import com.mangaassist.benchmark.report.HtmlReport;
import com.mangaassist.benchmark.stats.Percentiles;
import com.mangaassist.benchmark.synthetic.SyntheticQueries;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.config.ConfigFiles;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist bench run --url ws://… [--per-intent 50] [--warmup 5] --out run.json}: one synthetic replay
 * from the command line, a progress bar on stderr, the run file written, a short per-intent summary on stdout.
 * Exit status 0 when the file was written, 1 when the run failed (nothing connected), 2 for bad usage.
 */
public final class BenchRunCommand {

  private static final int BAR_WIDTH = 30;

  private BenchRunCommand() {}

  public static int run(List<String> args) {
    return run(args, System.out, System.err);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    ReplayOptions options;
    Path outFile;
    Path htmlFile;
    SyntheticQueries questions;
    try {
      CommandLine line = CommandLine.parse(args);
      options = line.options();
      outFile = line.out();
      htmlFile = line.html();
      Catalog catalog = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"));
      questions = SyntheticQueries.load(ConfigFiles.confDir().resolve("bench/synthetic.json"), catalog, options.seed());
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("bench run: " + e.getMessage());
      err.println(ReplayOptions.USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      long limitSeconds = 600 + (options.timeoutMs() / 1000 + 1)
          * (long) (options.perIntent() + options.warmup()) * Math.max(1, questions.intents().size());
      ReplayRun run = new SyntheticReplay(vertx, questions, options, progress -> drawBar(err, progress)).run()
          .await(limitSeconds, TimeUnit.SECONDS);
      err.println();
      run.write(outFile);
      printSummary(run, out);
      out.println("run file: " + outFile);
      if (htmlFile != null) {
        Files.writeString(htmlFile, HtmlReport.render(run, null), StandardCharsets.UTF_8);
        out.println("report: " + htmlFile);
      }
      return 0;
    } catch (Exception e) {
      err.println();
      err.println("bench run failed: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  /** {@code [#########.....]  120/550  recommendation 812 ms}, redrawn in place. */
  private static void drawBar(PrintStream err, SyntheticReplay.Progress progress) {
    int filled = (int) ((long) BAR_WIDTH * progress.done() / progress.total());
    QueryRecord last = progress.last();
    String lastTook = last.outcome().succeeded()
        ? String.format(Locale.ROOT, "%.0f ms", last.outcome().totalNanos() / 1e6) : last.outcome().errorCode();
    synchronized (err) {
      err.printf(Locale.ROOT, "\r[%s%s] %5d/%d  %-16s %-14s", "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
          progress.done(), progress.total(), last.intent(), lastTook);
      err.flush();
    }
  }

  static void printSummary(ReplayRun run, PrintStream out) {
    out.printf(Locale.ROOT, "%-16s %6s %6s %10s %10s %10s %10s%n", "intent", "count", "errors", "ttft p50", "ttft p95",
        "total p50", "total p95");
    run.runFile().intents().forEach((intent, samples) -> out.printf(Locale.ROOT, "%-16s %6d %6d %10s %10s %10s %10s%n",
        intent, samples.count(), samples.errors(), ms(samples.ttftMs(), 0.5), ms(samples.ttftMs(), 0.95),
        ms(samples.totalMs(), 0.5), ms(samples.totalMs(), 0.95)));
    out.println("versions: " + run.versions().encode());
  }

  private static String ms(double[] samples, double quantile) {
    return samples.length == 0 ? "-" : String.format(Locale.ROOT, "%.1f", Percentiles.of(samples, quantile));
  }

  /** The parsed command line. */
  private record CommandLine(ReplayOptions options, Path out, Path html) {

    static CommandLine parse(List<String> args) {
      String url = null;
      int perIntent = 50;
      int warmup = 5;
      int sockets = 4;
      long seed = 1;
      long timeoutMs = 60_000;
      List<String> intents = new ArrayList<>();
      Path out = null;
      Path html = null;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        String value = args.get(++i);
        try {
          switch (arg) {
            case "--url" -> url = value;
            case "--per-intent" -> perIntent = Integer.parseInt(value);
            case "--warmup" -> warmup = Integer.parseInt(value);
            case "--sockets" -> sockets = Integer.parseInt(value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--timeout-ms" -> timeoutMs = Long.parseLong(value);
            case "--intents" -> intents = List.of(value.split(","));
            case "--out" -> out = Path.of(value);
            case "--html" -> html = Path.of(value);
            default -> throw new IllegalArgumentException("unknown option " + arg);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(arg + " expects a number, got " + value);
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("--out FILE is required");
      }
      return new CommandLine(new ReplayOptions(url, perIntent, warmup, sockets, seed, timeoutMs, intents), out, html);
    }
  }
}
