package com.mangaassist.benchmark.detect;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Pages through a webhook that takes PagerDuty Events API v2 bodies ({@code POST https://events.pagerduty.com/v2/enqueue}
 * or anything that speaks its shape): {@code routing_key}, {@code event_action} "trigger", a {@code dedup_key} per
 * intent and metric (so a regression that goes on stays one incident), and {@code payload} with {@code summary},
 * {@code source}, {@code severity} and the alert as {@code custom_details}.
 */
final class PagerDutyWebhook {

  private final HttpClient http;
  private final String url;
  private final String routingKey;
  private final long timeoutMs;

  /** {@code config}: {@code webhookUrl} (none: no webhook), {@code routingKey}, {@code timeoutMs} (5000). */
  PagerDutyWebhook(Vertx vertx, JsonObject config) {
    this.http = vertx.createHttpClient();
    this.url = config.getString("webhookUrl");
    this.routingKey = config.getString("routingKey", "");
    this.timeoutMs = config.getLong("timeoutMs", 5_000L);
  }

  boolean configured() {
    return url != null && !url.isBlank();
  }

  static JsonObject event(String routingKey, JsonObject alert) {
    String summary = String.format(Locale.ROOT, "MangaAssist %s: %s %s p95 %.0f ms -> %.0f ms (%s)",
        alert.getString("severity"), alert.getString("intent"), alert.getString("metric"),
        alert.getDouble("baseline", Double.NaN), alert.getDouble("current", Double.NaN), alert.getString("action"));
    return new JsonObject()
        .put("routing_key", routingKey)
        .put("event_action", "trigger")
        .put("dedup_key", "mangaassist-bench-" + alert.getString("intent") + "-" + alert.getString("metric"))
        .put("payload", new JsonObject()
            .put("summary", summary)
            .put("source", "mangaassist-benchmark")
            .put("severity", "SEV-1".equals(alert.getString("severity")) ? "critical" : "error")
            .put("component", "chat")
            .put("custom_details", alert));
  }

  /** Posts the alert; fails on a non-2xx answer so the caller can log it. */
  Future<Void> send(JsonObject alert) {
    if (!configured()) {
      return Future.succeededFuture();
    }
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("content-type", "application/json").setTimeout(timeoutMs);
    return http.request(request)
        .compose(req -> req.send(Buffer.buffer(event(routingKey, alert).encode())))
        .compose(response -> response.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
            : Future.failedFuture("webhook answered HTTP " + response.statusCode()));
  }
}
