package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * How answers are written to a client: the first delta goes out at once ({@code firstDeltaAtOnce}; false only to
 * measure what it saves), later deltas in batches of
 * {@code batchDeltas} or after {@code batchWindowMs}, whichever comes first; a client whose write queue stays
 * full longer than {@code slowClientTimeoutMs}, or that lets more than {@code slowClientMaxPendingChars}
 * pile up, is disconnected instead of buffered forever.
 */
record StreamingOptions(
    int batchDeltas, long batchWindowMs, int writeQueueMaxBytes, int slowClientMaxPendingChars, long slowClientTimeoutMs,
    boolean firstDeltaAtOnce) {

  static StreamingOptions from(JsonObject config) {
    return new StreamingOptions(
        config.getInteger("batchDeltas", 3),
        config.getLong("batchWindowMs", 20L),
        config.getInteger("writeQueueMaxBytes", 65_536),
        config.getInteger("slowClientMaxPendingChars", 262_144),
        config.getLong("slowClientTimeoutMs", 10_000L),
        config.getBoolean("firstDeltaAtOnce", true));
  }
}
