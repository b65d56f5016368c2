package com.mangaassist.benchmark.compare;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark run as {@code bench run} writes it and {@code bench compare} reads it:
 * <pre>{@code
 * {"version": 1, "target": "ws://127.0.0.1:8080/ws", "started": "2025-01-31T09:15:00Z",
 *  "intents": {"recommendation": {"ttft_ms": [412.5, …], "total_ms": [2210.0, …],
 *                                 "errors": 0, "count": 50, "warmup_discarded": 5}, …}}
 * }</pre>
 * {@code count} is the number of measured requests (warm-up excluded), {@code errors} how many of them failed; the
 * latency arrays hold the requests that got that far, so each is at most {@code count} long.
 *
 * @param target what was measured (a WebSocket URL)
 * @param started when the run started (ISO-8601)
 * @param intents measurements per intent, in file order
 */
public record RunFile(String target, String started, Map<String, IntentSamples> intents) {

  public static final int VERSION = 1;

  public RunFile {
    intents = Collections.unmodifiableMap(new LinkedHashMap<>(intents));
  }

  public static RunFile read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidRunFileException(file + ": cannot read (" + e + ")", e);
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidRunFileException(file + ": not a JSON object (" + e.getMessage() + ")", e);
    }
    return fromJson(json, file.toString());
  }

  /** Validates {@code json}; {@code source} names it in error messages. */
  public static RunFile fromJson(JsonObject json, String source) {
    Object version = json.getValue("version");
    if (!(version instanceof Number number) || number.doubleValue() != VERSION) {
      throw new InvalidRunFileException(source + ": version " + version + " is not supported (expected " + VERSION
          + ")");
    }
    String target = optionalString(json, "target", source);
    String started = optionalString(json, "started", source);
    if (!(json.getValue("intents") instanceof JsonObject intentsJson) || intentsJson.isEmpty()) {
      throw new InvalidRunFileException(source + ": intents: expected an object with at least one intent");
    }
    Map<String, IntentSamples> intents = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : intentsJson) {
      String where = source + ": intents." + entry.getKey();
      if (!(entry.getValue() instanceof JsonObject intent)) {
        throw new InvalidRunFileException(where + ": expected an object");
      }
      intents.put(entry.getKey(), IntentSamples.fromJson(intent, where));
    }
    return new RunFile(target, started, intents);
  }

  public JsonObject toJson() {
    JsonObject intentsJson = new JsonObject();
    intents.forEach((intent, samples) -> intentsJson.put(intent, samples.toJson()));
    return new JsonObject()
        .put("version", VERSION)
        .put("target", target)
        .put("started", started)
        .put("intents", intentsJson);
  }

  public void write(Path file) {
    try {
      Files.writeString(file, toJson().encodePrettily(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String optionalString(JsonObject json, String key, String source) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof String)) {
      throw new InvalidRunFileException(source + ": " + key + ": expected a string, found " + value);
    }
    return (String) value;
  }
}
