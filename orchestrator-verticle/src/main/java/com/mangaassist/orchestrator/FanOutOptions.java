package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * Per-branch deadlines of the parallel fan-out (milliseconds) and how much retrieval brings back. A branch that
 * misses its deadline is dropped, never waited for. {@code parallel} false runs the branches one after the other,
 * as a naive pipeline would: only the with/without benchmark sets it, to measure what parallelism saves.
 */
record FanOutOptions(long cacheMs, long retrievalMs, long sessionMs, long embeddingMs, long precomputeMs, int retrievalK,
    int cardsBeforeText, boolean parallel) {

  static FanOutOptions from(JsonObject config) {
    return new FanOutOptions(
        config.getLong("cacheMs", 30L),
        config.getLong("retrievalMs", 40L),
        config.getLong("sessionMs", 30L),
        // a late embedding costs the intent, the cache and retrieval: worth waiting for through a burst
        config.getLong("embeddingMs", 1000L),
        config.getLong("precomputeMs", 100L),
        config.getInteger("retrievalK", 5),
        config.getInteger("cardsBeforeText", 3),
        config.getBoolean("parallel", true));
  }
}
