package com.mangaassist.intent;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One labeled shopper message of {@code conf/intents/examples.jsonl}; {@code split} is {@code train} or {@code test}. */
public record LabeledExample(String text, String intent, String split) {

  /** Blocking read: call at start-up or from a worker. */
  public static List<LabeledExample> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .map(JsonObject::new)
        .map(json -> new LabeledExample(json.getString("text"), json.getString("intent"), json.getString("split", "train")))
        .toList();
  }

  public boolean training() {
    return !"test".equals(split);
  }
}
