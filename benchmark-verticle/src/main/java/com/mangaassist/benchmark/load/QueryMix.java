package com.mangaassist.benchmark.load;

import com.mangaassist.benchmark.synthetic.SyntheticQueries;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.config.ConfigFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/** The questions a load run asks, drawn with a seed, optionally made unique. */
public final class QueryMix {

  private final Supplier<String> source;
  private final boolean fresh;

  private QueryMix(Supplier<String> source, boolean fresh) {
    this.source = source;
    this.fresh = fresh;
  }

  /**
   * {@code file} as JSONL {@code {"text":…,"weight":…}} (weight defaults to 1); without a file, synthetic shopper
   * questions over the catalog ({@code conf/bench/synthetic.json}), intents in proportion to their weights.
   */
  public static QueryMix load(Path file, long seed, boolean fresh) throws IOException {
    if (file == null) {
      Catalog catalog = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"));
      SyntheticQueries synthetic = SyntheticQueries.load(ConfigFiles.confDir().resolve("bench/synthetic.json"), catalog, seed);
      return new QueryMix(() -> synthetic.nextByWeight().text(), fresh);
    }
    List<String> texts = new ArrayList<>();
    List<Double> cumulative = new ArrayList<>();
    double sum = 0;
    int lineNumber = 0;
    for (String line : Files.readAllLines(file)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonObject entry;
      try {
        entry = new JsonObject(line);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ":" + lineNumber + ": not a JSON object");
      }
      String text = entry.getString("text");
      double weight = entry.getDouble("weight", 1.0);
      if (text == null || text.isBlank() || !(weight > 0)) {
        throw new IllegalArgumentException(file + ":" + lineNumber + ": needs a non-empty text and a positive weight");
      }
      texts.add(text);
      sum += weight;
      cumulative.add(sum);
    }
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(file + ": no questions");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double total = sum;
    return new QueryMix(() -> {
      double point = random.nextDouble() * total;
      int index = 0;
      while (cumulative.get(index) <= point && index < cumulative.size() - 1) {
        index++;
      }
      return texts.get(index);
    }, fresh);
  }

  /** The next question; a fresh one carries a random reference so neither cache tier can answer it. */
  public String next() {
    String text = source.get();
    return fresh ? text + " (ref " + UUID.randomUUID().toString().substring(0, 8) + ")" : text;
  }
}
