package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.store.RedisClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The precompute role's status port alone: readiness follows its consumers, Redis down is reported, not fatal. */
class PrecomputeStatusTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    PrecomputeVerticleTest.await(vertx.close());
  }

  @Test
  void notReadyUntilTheConsumersAreRegisteredAndRedisDownIsReportedAsDegraded() throws Exception {
    AtomicBoolean consumers = new AtomicBoolean();
    PrecomputeStatus status = deploy(new SimpleMeterRegistry(), consumers, "redis://127.0.0.1:" + closedPort());

    assertEquals(200, get(status, "/health").statusCode());
    assertEquals("UP", new JsonObject(get(status, "/health").body()).getString("status"));
    HttpResponse<String> starting = get(status, "/ready");
    assertEquals(503, starting.statusCode(), starting.body());
    JsonObject startingBody = new JsonObject(starting.body());
    assertEquals("STARTING", startingBody.getString("status"));
    assertEquals(false, startingBody.getBoolean("consumers"));
    assertEquals("DOWN", startingBody.getString("redis"));

    consumers.set(true);
    HttpResponse<String> ready = get(status, "/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    JsonObject readyBody = new JsonObject(ready.body());
    assertEquals("UP", readyBody.getString("status"));
    assertEquals(true, readyBody.getBoolean("degraded"), "Redis is down: " + readyBody);
    assertEquals(404, get(status, "/nothing-here").statusCode());
    assertEquals(503, get(status, "/metrics").statusCode(), "a registry that is not Prometheus has nothing to scrape");
  }

  @Test
  void metricsAreThePrometheusScrapeOfTheRolesRegistry() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("mangaassist.precompute.followups", "trigger", "faq").increment(3);
    PrecomputeStatus status = deploy(registry, new AtomicBoolean(true), PrecomputeTestSystem.REDIS_URL);

    HttpResponse<String> metrics = get(status, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    assertTrue(metrics.body().contains("mangaassist_precompute_followups_total{trigger=\"faq\"} 3.0"), metrics.body());
    assertEquals("UP", new JsonObject(get(status, "/ready").body()).getString("redis"), "Redis at " + PrecomputeTestSystem.REDIS_URL);
  }

  private PrecomputeStatus deploy(io.micrometer.core.instrument.MeterRegistry registry, AtomicBoolean consumers,
      String redisUrl) {
    JsonObject redisConfig = new JsonObject().put("url", redisUrl);
    // the role's own Redis client, as PrecomputeVerticle passes it; closed with this test's Vert.x
    PrecomputeStatus status = new PrecomputeStatus(registry, RedisClients.create(vertx, redisConfig), consumers::get);
    JsonObject config = new JsonObject()
        .put("precompute", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
        .put("redis", redisConfig);
    PrecomputeVerticleTest.await(vertx.deployVerticle(status, new DeploymentOptions().setConfig(config)));
    assertTrue(status.actualPort() > 0);
    assertNotEquals(8081, status.actualPort(), "port 0 is any free port, not the default");
    return status;
  }

  private HttpResponse<String> get(PrecomputeStatus status, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + status.actualPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
