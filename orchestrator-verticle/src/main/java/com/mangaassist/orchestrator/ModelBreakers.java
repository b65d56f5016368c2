package com.mangaassist.orchestrator;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per model: after {@code maxFailures} failed starts in a row (no first token), the model is
 * not called for {@code resetTimeoutMs} and shoppers get a fast typed error (or the other model) instead of waiting
 * through retries that cannot succeed. A failure after the first token does not count: the model was up.
 */
final class ModelBreakers {

  private static final Logger LOG = LoggerFactory.getLogger(ModelBreakers.class);

  private final Vertx vertx;
  private final CircuitBreakerOptions options;
  private final Map<String, CircuitBreaker> byModel = new HashMap<>();

  ModelBreakers(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.options = new CircuitBreakerOptions()
        .setMaxFailures(config.getInteger("maxFailures", 5))
        .setResetTimeout(config.getLong("resetTimeoutMs", 15_000L))
        // the model client has its own first-token and idle timeouts
        .setTimeout(-1)
        .setNotificationAddress(null);
  }

  CircuitBreaker forModel(String modelKey) {
    return byModel.computeIfAbsent(modelKey, key -> CircuitBreaker.create("model-" + key, vertx, options)
        .openHandler(v -> LOG.warn("circuit for model {} opened: failing fast", key))
        .closeHandler(v -> LOG.info("circuit for model {} closed", key)));
  }

  boolean isOpen(String modelKey) {
    return forModel(modelKey).state() == CircuitBreakerState.OPEN;
  }
}
