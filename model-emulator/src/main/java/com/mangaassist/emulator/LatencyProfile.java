package com.mangaassist.emulator;

import io.vertx.core.json.JsonObject;

/**
 * How fast one model answers.
 *
 * @param ttftMs          time to first token for an empty prompt
 * @param msPerInputToken how much the time to first token grows per input token (prompt processing)
 * @param tokensPerSecond output speed once tokens flow
 * @param jitter          relative random spread applied to every delay, 0.1 = ±10 %
 */
public record LatencyProfile(double ttftMs, double msPerInputToken, double tokensPerSecond, double jitter) {

  public LatencyProfile {
    if (tokensPerSecond <= 0) {
      throw new IllegalArgumentException("tokensPerSecond must be > 0");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
  }

  /** Reads a profile; absent fields come from {@code fallback}. */
  public static LatencyProfile fromJson(JsonObject json, LatencyProfile fallback) {
    return new LatencyProfile(
        json.getDouble("ttftMs", fallback.ttftMs()),
        json.getDouble("msPerInputToken", fallback.msPerInputToken()),
        json.getDouble("tokensPerSecond", fallback.tokensPerSecond()),
        json.getDouble("jitter", fallback.jitter()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("ttftMs", ttftMs)
        .put("msPerInputToken", msPerInputToken)
        .put("tokensPerSecond", tokensPerSecond)
        .put("jitter", jitter);
  }
}
