package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;

/** Limits from the seed design: frame size, question length, message rate, parallel queries, sockets per user. */
record ConnectionLimits(int maxFrameBytes, int maxQueryChars, int maxMessagesPerSecond, int maxConcurrentQueries,
    long authTimeoutMs, int maxConnectionsPerUser) {

  static ConnectionLimits from(JsonObject config) {
    return new ConnectionLimits(
        config.getInteger("maxFrameBytes", 131_072),
        config.getInteger("maxQueryChars", 4_000),
        config.getInteger("maxMessagesPerSecond", 100),
        config.getInteger("maxConcurrentQueries", 4),
        config.getLong("authTimeoutMs", 10_000L),
        config.getInteger("maxConnectionsPerUser", 5));
  }
}
