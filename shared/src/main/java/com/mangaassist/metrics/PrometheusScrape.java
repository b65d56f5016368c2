package com.mangaassist.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * Every role's {@code /metrics}: the registry its meters go to, and the Prometheus text exposition of it. The launcher
 * builds Vert.x with Micrometer over a {@link PrometheusMeterRegistry}, so all the roles of one JVM (all of them in
 * {@code dev}) share that registry together with the Vert.x and JVM meters.
 */
public final class PrometheusScrape {

  /** The content type of Prometheus's text format 0.0.4, which every Prometheus server reads. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusScrape() {}

  /**
   * The Vert.x metrics registry when Vert.x was built with Micrometer (as the launcher does), otherwise a Prometheus
   * registry of the caller's own: a new one per call, so that two verticles of a test JVM never share gauges that
   * point at each other's state.
   */
  public static MeterRegistry registry() {
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    return shared != null ? shared : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Ends {@code response} with the scrape of {@code registry}; 503 when it is not a Prometheus registry. */
  public static void respond(HttpServerResponse response, MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      response.putHeader("content-type", CONTENT_TYPE).end(prometheus.scrape());
    } else {
      response.setStatusCode(503).end("no Prometheus registry");
    }
  }
}
