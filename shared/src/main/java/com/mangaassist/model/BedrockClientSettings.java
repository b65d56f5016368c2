package com.mangaassist.model;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code conf/model.json} settings of {@link BedrockModelClient}, with defaults for every absent key.
 *
 * @param endpoint            Bedrock Runtime endpoint override (e.g. the emulator), null for real AWS
 * @param region              AWS region (signing scope even for the emulator)
 * @param models              short names ("haiku") to Bedrock model ids
 * @param http1               true to force HTTP/1.1; false keeps the SDK's HTTP/2 default for Bedrock Runtime
 * @param maxConcurrency      max concurrent streams (HTTP/2) or connections (HTTP/1.1)
 * @param connectTimeoutMs    TCP connect timeout
 * @param readTimeoutMs       socket read timeout (0 disables; the SDK's own default for this service is "none")
 * @param connectionMaxIdleMs how long an idle pooled connection is kept
 * @param tcpKeepAlive        TCP keep-alive on pooled connections (for NATs and load balancers)
 * @param firstTokenTimeoutMs no first text delta within this time → TIMEOUT
 * @param idleTimeoutMs       no next text delta within this time → TIMEOUT
 * @param retry               client-side retry policy, applied only before the first delta
 */
public record BedrockClientSettings(
    String endpoint,
    String region,
    Map<String, String> models,
    boolean http1,
    int maxConcurrency,
    long connectTimeoutMs,
    long readTimeoutMs,
    long connectionMaxIdleMs,
    boolean tcpKeepAlive,
    long firstTokenTimeoutMs,
    long idleTimeoutMs,
    RetryPolicy retry) {

  /**
   * Full-jitter exponential backoff.
   *
   * @param maxAttempts total attempts including the first
   * @param baseDelayMs cap of the first backoff; doubles per attempt
   * @param maxDelayMs  cap of any backoff
   * @param deadlineMs  no retry starts later than this after the stream began
   */
  public record RetryPolicy(int maxAttempts, long baseDelayMs, long maxDelayMs, long deadlineMs) {

    /** Random delay in [0, min(maxDelay, base · 2^(attempt-1))] before attempt {@code attempt + 1}. */
    long backoffMs(int attempt, double random) {
      double cap = Math.min(maxDelayMs, baseDelayMs * Math.pow(2, attempt - 1));
      return Math.round(cap * random);
    }
  }

  public static final String HAIKU_ID = "anthropic.claude-3-haiku-20240307-v1:0";
  public static final String SONNET_ID = "anthropic.claude-3-sonnet-20240229-v1:0";

  public static BedrockClientSettings fromJson(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    JsonObject retry = config.getJsonObject("retry", new JsonObject());
    Map<String, String> models = new LinkedHashMap<>();
    models.put("haiku", HAIKU_ID);
    models.put("sonnet", SONNET_ID);
    config.getJsonObject("models", new JsonObject()).forEach(e -> models.put(e.getKey(), String.valueOf(e.getValue())));
    String envRegion = System.getenv("AWS_REGION");
    String protocol = http.getString("protocol", "h2").toLowerCase(Locale.ROOT);
    if (!protocol.equals("h2") && !protocol.equals("http1.1")) {
      throw new IllegalArgumentException("http.protocol must be \"h2\" or \"http1.1\", not " + protocol);
    }
    BedrockClientSettings settings = new BedrockClientSettings(
        blankToNull(config.getString("endpoint")),
        config.getString("region", envRegion != null && !envRegion.isBlank() ? envRegion : "us-east-1"),
        Map.copyOf(models),
        protocol.equals("http1.1"),
        http.getInteger("maxConcurrency", 1000),
        http.getLong("connectTimeoutMs", 2_000L),
        http.getLong("readTimeoutMs", 30_000L),
        http.getLong("connectionMaxIdleMs", 60_000L),
        http.getBoolean("tcpKeepAlive", true),
        config.getLong("firstTokenTimeoutMs", 15_000L),
        config.getLong("idleTimeoutMs", 10_000L),
        new RetryPolicy(
            retry.getInteger("maxAttempts", 3),
            retry.getLong("baseDelayMs", 100L),
            retry.getLong("maxDelayMs", 1_000L),
            retry.getLong("deadlineMs", 5_000L)));
    if (settings.retry.maxAttempts() < 1 || settings.firstTokenTimeoutMs <= 0 || settings.idleTimeoutMs <= 0) {
      throw new IllegalArgumentException("retry.maxAttempts must be >= 1 and token timeouts > 0");
    }
    return settings;
  }

  /** A short name from {@code models} ("haiku") or a full model id, which passes through unchanged. */
  public String resolveModel(String nameOrId) {
    return models.getOrDefault(nameOrId, nameOrId);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
