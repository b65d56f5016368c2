package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulator's {@code /health} and {@code /metrics}, as the launcher runs it: Vert.x with a Prometheus registry. */
class EmulatorMetricsTest {

  // HTTP/1.1, as Prometheus scrapes (the JDK client's h2c upgrade against this server can hang on a large body)
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void metricsAreThePrometheusScrapeOfTheVertxRegistry() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    try {
      registry.counter("emulator_test_marker").increment();
      int port = TestEmulator.deploy(vertx, TestEmulator.fastConfig()).actualPort();
      HttpResponse<String> health = get(port, "/health");
      assertEquals(200, health.statusCode());
      assertEquals("UP", new JsonObject(health.body()).getString("status"));
      HttpResponse<String> metrics = get(port, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      assertTrue(metrics.body().contains("emulator_test_marker_total 1.0"), "the registry Vert.x was built with");
      assertTrue(metrics.body().contains("vertx_http_server_requests_total"), "Vert.x's own HTTP server meters");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutAMetricsRegistryMetricsSaysSoAndHealthStillAnswers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int port = TestEmulator.deploy(vertx, TestEmulator.fastConfig()).actualPort();
      assertEquals(200, get(port, "/health").statusCode());
      assertEquals(500, get(port, "/metrics").statusCode());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
