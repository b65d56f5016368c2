package com.mangaassist.benchmark.replay;

import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.RunFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished replay: the run file's samples (warm-up dropped) and every question's detail. The written file is a
 * {@link RunFile} (so {@code bench compare} reads it) with two additions it ignores: {@code intents.X.queries} (each
 * question and the server's {@code done.metadata} figures) and {@code versions} (the prompt and routing versions
 * that answered, which is what a rollback needs to know).
 */
public record ReplayRun(ReplayOptions options, String runId, RunFile runFile, List<QueryRecord> queries) {

  static ReplayRun of(ReplayOptions options, String runId, String started, List<String> intents,
      List<QueryRecord> queries) {
    Map<String, IntentSamples> samples = new LinkedHashMap<>();
    for (String intent : intents) {
      List<Double> ttft = new ArrayList<>();
      List<Double> total = new ArrayList<>();
      int errors = 0;
      int count = 0;
      int warmup = 0;
      for (QueryRecord query : queries) {
        if (!query.intent().equals(intent)) {
          continue;
        }
        if (query.warmup()) {
          warmup++;
          continue;
        }
        count++;
        if (query.outcome().ttftNanos() >= 0) {
          ttft.add(query.outcome().ttftNanos() / 1e6);
        }
        if (query.outcome().succeeded()) {
          total.add(query.outcome().totalNanos() / 1e6);
        } else {
          errors++;
        }
      }
      samples.put(intent, new IntentSamples(toArray(ttft), toArray(total), errors, count, warmup));
    }
    return new ReplayRun(options, runId, new RunFile(options.url(), started, samples), List.copyOf(queries));
  }

  /**
   * The version of {@code key} ({@code prompt_version} or {@code routing_version}) that answered most measured
   * questions, or null when no answer said.
   */
  public String dominantVersion(String key) {
    Map<String, Integer> seen = new HashMap<>();
    for (QueryRecord query : queries) {
      if (!query.warmup() && query.outcome().metadata() != null && query.outcome().metadata().getValue(key) != null) {
        seen.merge(query.outcome().metadata().getValue(key).toString(), 1, Integer::sum);
      }
    }
    return seen.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  public JsonObject versions() {
    return new JsonObject().put("prompt", dominantVersion("prompt_version"))
        .put("routing", dominantVersion("routing_version"));
  }

  public JsonObject toJson() {
    JsonObject json = runFile.toJson().put("run_id", runId).put("seed", options.seed()).put("versions", versions());
    JsonObject intents = json.getJsonObject("intents");
    for (QueryRecord query : queries) {
      if (!query.warmup()) {
        JsonObject intent = intents.getJsonObject(query.intent());
        JsonArray list = intent.getJsonArray("queries");
        if (list == null) {
          intent.put("queries", list = new JsonArray());
        }
        list.add(query.toJson());
      }
    }
    return json;
  }

  public void write(Path file) throws java.io.IOException {
    Files.writeString(file, toJson().encodePrettily(), StandardCharsets.UTF_8);
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
