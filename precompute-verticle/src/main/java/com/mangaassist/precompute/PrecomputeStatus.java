package com.mangaassist.precompute;

import com.mangaassist.bus.ClusterStatus;
import com.mangaassist.metrics.PrometheusScrape;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The precompute role's own HTTP port, for load balancers, orchestration and Prometheus: {@code /health} (the process
 * answers), {@code /ready} (200 {@code UP} once its event-bus consumers are registered, 503 {@code STARTING} before;
 * {@code redis} UP or DOWN, {@code degraded} when Redis or the cluster is down: nothing is stored then, or no turn arrives;
 * {@code cluster} as every role reports it),
 * {@code /metrics} (Prometheus). Deployed by {@link PrecomputeVerticle}.
 *
 * <p>Configuration: the combined document: {@code precompute.port} (8081, {@code PRECOMPUTE_PORT}; 0 = any free
 * port, see {@link #actualPort()}), {@code precompute.host} (0.0.0.0), {@code redis.timeoutMs} (the readiness ping
 * goes through the role's own Redis client).
 */
final class PrecomputeStatus extends VerticleBase {

  private final MeterRegistry registry;
  private final Redis redis;
  private final BooleanSupplier consumersRegistered;
  private long pingTimeoutMs;
  private HttpServer server;

  PrecomputeStatus(MeterRegistry registry, Redis redis, BooleanSupplier consumersRegistered) {
    this.registry = registry;
    this.redis = redis;
    this.consumersRegistered = consumersRegistered;
  }

  @Override
  public Future<?> start() {
    JsonObject conf = config().getJsonObject("precompute", new JsonObject());
    JsonObject redisConfig = config().getJsonObject("redis", new JsonObject());
    pingTimeoutMs = Math.max(500L, redisConfig.getLong("timeoutMs", 200L));
    return vertx.createHttpServer()
        .requestHandler(this::http)
        .listen(conf.getInteger("port", 8081), conf.getString("host", "0.0.0.0"))
        .onSuccess(listening -> server = listening);
  }

  /** The port actually bound (useful with port 0), -1 before it is. */
  int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void http(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> json(request.response(), 200, new JsonObject().put("status", "UP"));
      case "/ready" -> ready(request.response());
      case "/metrics" -> PrometheusScrape.respond(request.response(), registry);
      default -> request.response().setStatusCode(404).end();
    }
  }

  private void ready(HttpServerResponse response) {
    boolean consumers = consumersRegistered.getAsBoolean();
    JsonObject cluster = ClusterStatus.of(vertx);
    RedisAPI.api(redis).ping(List.of())
        .timeout(pingTimeoutMs, TimeUnit.MILLISECONDS)
        .map(pong -> true)
        .otherwise(false)
        .onSuccess(redisUp -> json(response, consumers ? 200 : 503, new JsonObject()
            .put("status", consumers ? "UP" : "STARTING")
            .put("consumers", consumers)
            .put("redis", redisUp ? "UP" : "DOWN")
            .put("cluster", cluster)
            .put("degraded", !redisUp || !ClusterStatus.isUp(cluster))));
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }
}
