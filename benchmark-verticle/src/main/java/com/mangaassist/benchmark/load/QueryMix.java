package com.mangaassist.benchmark.load;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.intent.LabeledExample;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** The questions a load run asks, drawn by weight with a seeded random, optionally made unique. */
public final class QueryMix {

  private final List<String> texts;
  private final double[] cumulative;
  private final SplittableRandom random;
  private final boolean fresh;

  QueryMix(List<String> texts, List<Double> weights, long seed, boolean fresh) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("the query mix is empty");
    }
    this.texts = List.copyOf(texts);
    this.cumulative = new double[weights.size()];
    double sum = 0;
    for (int i = 0; i < weights.size(); i++) {
      sum += weights.get(i);
      cumulative[i] = sum;
    }
    this.random = new SplittableRandom(seed);
    this.fresh = fresh;
  }

  /** {@code file} as JSONL {@code {"text":…,"weight":…}} (weight defaults to 1), or the held-out intent examples. */
  public static QueryMix load(Path file, long seed, boolean fresh) throws IOException {
    List<String> texts = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    if (file == null) {
      for (LabeledExample example : LabeledExample.read(ConfigFiles.confDir().resolve("intents/examples.jsonl"))) {
        if (!example.training()) {
          texts.add(example.text());
          weights.add(1.0);
        }
      }
    } else {
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
        weights.add(weight);
      }
    }
    return new QueryMix(texts, weights, seed, fresh);
  }

  public int size() {
    return texts.size();
  }

  /** The next question; a fresh one carries a random reference so neither cache tier can answer it. */
  public String next() {
    double point = random.nextDouble() * cumulative[cumulative.length - 1];
    int index = 0;
    while (cumulative[index] <= point && index < cumulative.length - 1) {
      index++;
    }
    String text = texts.get(index);
    return fresh ? text + " (ref " + UUID.randomUUID().toString().substring(0, 8) + ")" : text;
  }
}
