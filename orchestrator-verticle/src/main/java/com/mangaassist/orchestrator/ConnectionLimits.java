package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/**
 * Limits from the seed design: frame size, question length, message rate, parallel queries, sockets per user, and
 * how long a silent socket is kept.
 */
record ConnectionLimits(int maxFrameBytes, int maxQueryChars, int maxMessagesPerSecond, int maxConcurrentQueries,
    long authTimeoutMs, int maxConnectionsPerUser, long idleTimeoutMs) {

  /** From the orchestrator's configuration: its {@code limits} object and {@code idleTimeoutSeconds}. */
  static ConnectionLimits from(JsonObject orchestrator) {
    JsonObject config = orchestrator.getJsonObject("limits", new JsonObject());
    return new ConnectionLimits(
        config.getInteger("maxFrameBytes", 131_072),
        config.getInteger("maxQueryChars", 4_000),
        config.getInteger("maxMessagesPerSecond", 100),
        config.getInteger("maxConcurrentQueries", 4),
        config.getLong("authTimeoutMs", 10_000L),
        config.getInteger("maxConnectionsPerUser", 5),
        orchestrator.getLong("idleTimeoutSeconds", 600L) * 1_000);
  }
}
