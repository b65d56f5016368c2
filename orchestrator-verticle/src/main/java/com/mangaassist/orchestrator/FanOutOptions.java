package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * How much of a question is embedded ({@code embeddedChars}), per-branch deadlines of the parallel fan-out
 * (milliseconds) and how much retrieval brings back. A branch that misses its deadline is dropped, never waited for.
 * {@code parallel} false runs the branches one after the other, as a naive pipeline would: only the with/without
 * benchmark sets it, to measure what parallelism saves.
 */
record FanOutOptions(long cacheMs, long retrievalMs, long sessionMs, long embeddingMs, int embeddedChars,
    long precomputeMs, int retrievalK, int cardsBeforeText, boolean parallel) {

  static FanOutOptions from(JsonObject config) {
    return new FanOutOptions(
        config.getLong("cacheMs", 30L),
        config.getLong("retrievalMs", 40L),
        config.getLong("sessionMs", 30L),
        // a late embedding costs the intent, the cache and retrieval: worth waiting for through a burst
        config.getLong("embeddingMs", 1000L),
        // the embedding's cost grows with the text (measured 5 ms for 30 characters, 16 ms for 256, 38 ms for 4,000)
        // and the orchestrator embeds one text at a time, so a long question holds up everyone else's. Every
        // labelled question of conf/intents and conf/eval is under 160 characters.
        config.getInteger("embeddedChars", 256),
        config.getLong("precomputeMs", 100L),
        config.getInteger("retrievalK", 5),
        config.getInteger("cardsBeforeText", 3),
        config.getBoolean("parallel", true));
  }

  /**
   * The part of a question (titles masked) that is embedded: at most {@code embeddedChars}, never half of a character
   * outside the basic plane (an emoji is two Java chars).
   */
  String embeddedPart(String masked) {
    if (masked.length() <= embeddedChars) {
      return masked;
    }
    int end = Character.isHighSurrogate(masked.charAt(embeddedChars - 1)) ? embeddedChars - 1 : embeddedChars;
    return masked.substring(0, end);
  }
}
