package com.mangaassist.emulator;

import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters that let tests prove what the emulator saw. Invariant: {@code started = open + completed + cancelled +
 * failed}. Used from the emulator's event loop only.
 */
final class EmulatorStats {

  private long open;
  private long started;
  private long completed;
  private long cancelled;
  private long failed;
  private final Map<String, Long> invocations = new TreeMap<>();
  private final Map<String, Long> protocols = new TreeMap<>();

  void invoked(String modelId, HttpVersion version) {
    invocations.merge(modelId, 1L, Long::sum);
    protocols.merge(version.name(), 1L, Long::sum);
    started++;
  }

  /** A request that never produced a stream (HTTP error, validation). */
  void rejected() {
    failed++;
  }

  void opened() {
    open++;
  }

  void completed() {
    open--;
    completed++;
  }

  void cancelled() {
    open--;
    cancelled++;
  }

  void failed() {
    open--;
    failed++;
  }

  long open() {
    return open;
  }

  void reset() {
    // open generations keep running; forgetting them would make `open` negative when they end
    started = open;
    completed = 0;
    cancelled = 0;
    failed = 0;
    invocations.clear();
    protocols.clear();
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("open", open)
        .put("started", started)
        .put("completed", completed)
        .put("cancelled", cancelled)
        .put("failed", failed)
        .put("invocations", countsJson(invocations))
        .put("protocols", countsJson(protocols));
  }

  private static JsonObject countsJson(Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    counts.forEach(json::put);
    return json;
  }
}
