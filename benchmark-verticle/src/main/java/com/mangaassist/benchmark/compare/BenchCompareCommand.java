package com.mangaassist.benchmark.compare;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mangaassist bench compare BASE.json NEW.json [--json]}: compares two run files and prints a
 * benchstat-style table, or with {@code --json} the comparison as {@code {"comparisons": [...]}}. Thresholds come
 * from {@code regression} of {@code conf/benchmark.json}.
 *
 * <p>Exit status 0 when the comparison was made, whatever its severities (this command reports; the benchmark role
 * decides on pages and rollbacks across runs); 2 for bad usage or a bad run file.
 */
public final class BenchCompareCommand {

  static final String USAGE = "usage: bin/mangaassist bench compare BASE.json NEW.json [--json]";

  private BenchCompareCommand() {}

  public static int run(List<String> args) {
    return run(args, System.out, System.err);
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean json = args.contains("--json");
    List<String> files = new ArrayList<>(args);
    files.remove("--json");
    if (files.size() != 2 || files.stream().anyMatch(file -> file.startsWith("--"))) {
      err.println(USAGE);
      return 2;
    }
    RunComparison comparison;
    RegressionSettings settings;
    try {
      settings = RegressionSettings.load();
      RunFile base = RunFile.read(Path.of(files.get(0)));
      RunFile newer = RunFile.read(Path.of(files.get(1)));
      comparison = new RunComparator(settings).compare(base, newer);
    } catch (InvalidRunFileException | IllegalArgumentException e) {
      err.println("bench compare: " + e.getMessage());
      return 2;
    }
    if (json) {
      out.println(comparison.toJson().encodePrettily());
    } else {
      out.print(new ComparisonTable(settings).render(comparison));
    }
    return 0;
  }
}
