package com.mangaassist.model;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the model connection and the model itself warm: one {@link ModelClient#warmUp} at start and then every
 * {@code keepAlive.intervalSeconds}. Config: the model config ({@code conf/model.json}), of which it reads
 * {@code keepAlive {enabled, intervalSeconds, model}}.
 *
 * <p>Deploy it once per process, after creating the client it keeps warm.
 */
public final class ModelKeepAlive extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ModelKeepAlive.class);

  /** Claude 3 Haiku on-demand list prices, USD per million tokens. */
  static final double HAIKU_INPUT_USD_PER_MTOK = 0.25;
  static final double HAIKU_OUTPUT_USD_PER_MTOK = 1.25;
  /** A "ping" prompt is about ten input tokens and the warm-up asks for a single output token. */
  static final int WARM_UP_INPUT_TOKENS = 10;
  static final int WARM_UP_OUTPUT_TOKENS = 1;

  /** What keeping warm costs over 30 days. */
  public record MonthlyCost(long invocations, long inputTokens, long outputTokens, double usd) {}

  private final ModelClient client;
  private long periodicId = -1;

  public ModelKeepAlive(ModelClient client) {
    this.client = client;
  }

  public static MonthlyCost estimateMonthlyCost(long intervalSeconds) {
    long invocations = 30L * 24 * 3600 / intervalSeconds;
    long input = invocations * WARM_UP_INPUT_TOKENS;
    long output = invocations * WARM_UP_OUTPUT_TOKENS;
    double usd = input / 1e6 * HAIKU_INPUT_USD_PER_MTOK + output / 1e6 * HAIKU_OUTPUT_USD_PER_MTOK;
    return new MonthlyCost(invocations, input, output, usd);
  }

  @Override
  public Future<?> start() {
    JsonObject keepAlive = config().getJsonObject("keepAlive", new JsonObject());
    if (!keepAlive.getBoolean("enabled", true)) {
      LOG.info("model keep-alive disabled");
      return Future.succeededFuture();
    }
    long intervalSeconds = keepAlive.getLong("intervalSeconds", 240L);
    if (intervalSeconds <= 0) {
      return Future.failedFuture(new IllegalArgumentException("keepAlive.intervalSeconds must be > 0"));
    }
    String model = BedrockClientSettings.fromJson(config()).resolveModel(keepAlive.getString("model", "haiku"));
    MonthlyCost cost = estimateMonthlyCost(intervalSeconds);
    LOG.info("model keep-alive: {} every {} s = {} invocations per 30 days, ~{} input + {} output tokens, "
            + "about ${} per month at Haiku list prices", model, intervalSeconds, cost.invocations(),
        cost.inputTokens(), cost.outputTokens(), String.format(java.util.Locale.ROOT, "%.4f", cost.usd()));
    periodicId = vertx.setPeriodic(intervalSeconds * 1000, id -> warm(model));
    // a failed warm-up must not stop the application from starting: the next period tries again
    return warm(model).otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    if (periodicId >= 0) {
      vertx.cancelTimer(periodicId);
    }
    return Future.succeededFuture();
  }

  private Future<Void> warm(String model) {
    return client.warmUp(model)
        .onSuccess(v -> LOG.debug("warmed {}", model))
        .onFailure(e -> LOG.warn("keep-alive warm-up failed: {}", e.getMessage()));
  }
}
