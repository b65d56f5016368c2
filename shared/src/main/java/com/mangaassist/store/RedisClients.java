package com.mangaassist.store;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Builds the pooled Redis client from the {@code redis} configuration block. */
public final class RedisClients {

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  private RedisClients() {}

  /**
   * A pooled client: the pool drops broken connections and opens new ones, so commands recover by themselves
   * after Redis comes back. A short connect timeout keeps a dead Redis from holding up a chat turn.
   */
  public static Redis create(Vertx vertx, JsonObject config) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.getString("url", DEFAULT_URL))
        .setMaxPoolSize(config.getInteger("maxPoolSize", 8))
        .setMaxPoolWaiting(config.getInteger("maxPoolWaiting", 512))
        .setMaxWaitingHandlers(config.getInteger("maxWaitingHandlers", 4096));
    options.getNetClientOptions().setConnectTimeout(config.getInteger("connectTimeoutMs", 500));
    return Redis.createClient(vertx, options);
  }
}
