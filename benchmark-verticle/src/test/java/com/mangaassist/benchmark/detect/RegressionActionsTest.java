package com.mangaassist.benchmark.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.benchmark.compare.Action;
import com.mangaassist.benchmark.compare.Decision;
import com.mangaassist.benchmark.compare.Finding;
import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.Metric;
import com.mangaassist.benchmark.compare.MetricComparison;
import com.mangaassist.benchmark.compare.RegressionSettings;
import com.mangaassist.benchmark.compare.RunComparator;
import com.mangaassist.benchmark.compare.RunComparison;
import com.mangaassist.benchmark.compare.RunFile;
import com.mangaassist.benchmark.compare.Severity;
import com.mangaassist.benchmark.replay.QueryRecord;
import com.mangaassist.benchmark.replay.ReplayOptions;
import com.mangaassist.benchmark.replay.ReplayRun;
import com.mangaassist.bus.Addresses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each confirmed decision leads to: the alert on the bus, the PagerDuty-shaped webhook call, and a rollback only
 * of a version that changed since the baseline. The verdicts come from the real comparator on a 35 % slowdown.
 */
class RegressionActionsTest {

  private Vertx vertx;
  private HttpServer pagerDuty;
  private final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
  private final List<JsonObject> rollbacks = new CopyOnWriteArrayList<>();
  private final List<JsonObject> pages = new CopyOnWriteArrayList<>();
  private RegressionActions actions;
  private RunComparison comparison;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> alerts.add(m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.OPS_ROLLBACK, m -> rollbacks.add(m.body()));
    pagerDuty = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      pages.add(body.toJsonObject());
      request.response().setStatusCode(202).end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    actions = new RegressionActions(vertx, new JsonObject()
        .put("webhookUrl", "http://127.0.0.1:" + pagerDuty.actualPort() + "/v2/enqueue").put("routingKey", "key-1"),
        new RegressionMetrics(new SimpleMeterRegistry()));
    // a first-token target out of reach, so only the p95 increase over the baseline counts
    double[] base = new double[50];
    double[] slower = new double[50];
    for (int i = 0; i < 50; i++) {
      base[i] = 100 + 8 * i;
      slower[i] = 1.35 * base[i];
    }
    comparison = new RunComparator(RegressionSettings.fromJson(
        new JsonObject().put("firstTokenTargetMs", new JsonObject().put("default", 60_000)))).compare(
        new RunFile("ws://x/ws", "t0", Map.of("recommendation", new IntentSamples(base, base, 0, 50, 0))),
        new RunFile("ws://x/ws", "t1", Map.of("recommendation", new IntentSamples(slower, slower, 0, 50, 0))));
    for (MetricComparison found : comparison.comparisons()) {
      assertEquals(Severity.SEV_2, found.severity(), () -> found.toJson().encodePrettily());
    }
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ReplayRun answeredBy(String promptVersion, int routingVersion) {
    JsonObject metadata = new JsonObject().put("prompt_version", promptVersion).put("routing_version", routingVersion);
    List<QueryRecord> queries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queries.add(new QueryRecord("recommendation", "q" + i, false,
          new QueryOutcome("b" + i, 1_000_000, 2_000_000, 1, 10, metadata, null, null)));
    }
    RunFile runFile = new RunFile("ws://x/ws", "t1", Map.of("recommendation",
        new IntentSamples(new double[] {1, 1, 1}, new double[] {2, 2, 2}, 0, 3, 0)));
    return new ReplayRun(new ReplayOptions("ws://x/ws", 3, 0, 1, 1, 1000, List.of()), "run-1", runFile, queries);
  }

  private List<Decision> decide(Action action) {
    return comparison.comparisons().stream().map(found -> new Decision(Finding.of(found), 2, action)).toList();
  }

  private void awaitPages(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pages.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void aConfirmedPageAlertsAndCallsTheWebhookButRollsNothingBack() throws Exception {
    RegressionActions.Acted acted = actions.act(answeredBy("v2", 2), comparison, decide(Action.PAGE),
        new JsonObject().put("prompt", "v1").put("routing", "1")).await(10, TimeUnit.SECONDS);

    assertEquals(2, acted.alerts().size());
    assertEquals(List.of(), acted.rollbacks());
    awaitPages(2);
    assertEquals(2, pages.size());
    JsonObject page = pages.get(0);
    assertEquals("key-1", page.getString("routing_key"));
    assertEquals("trigger", page.getString("event_action"));
    assertEquals("error", page.getJsonObject("payload").getString("severity"));
    JsonObject alert = page.getJsonObject("payload").getJsonObject("custom_details");
    assertEquals("SEV-2", alert.getString("severity"));
    assertEquals("recommendation", alert.getString("intent"));
    assertEquals("page", alert.getString("action"));
    assertEquals(1.35, alert.getDouble("current") / alert.getDouble("baseline"), 1e-9);
    assertEquals(0.35, alert.getDouble("effect"), 1e-9);
    assertTrue(alert.getDouble("pValue") < 0.005, alert::encode);
    assertTrue(rollbacks.isEmpty());
  }

  @Test
  void aConfirmedRollbackRevertsOnlyTheVersionThatChangedOncePerRun() throws Exception {
    RegressionActions.Acted acted = actions.act(answeredBy("v1", 2), comparison, decide(Action.ROLLBACK),
        new JsonObject().put("prompt", "v1").put("routing", "1")).await(10, TimeUnit.SECONDS);

    assertEquals(1, acted.rollbacks().size(), "two findings, one changed version: one rollback");
    JsonObject rollback = acted.rollbacks().get(0);
    assertEquals("routing", rollback.getString("target"));
    assertEquals(1, rollback.getInteger("toVersion"));
    assertEquals("rollback", acted.alerts().get(0).getString("action"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (rollbacks.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of(rollback), rollbacks);
  }

  @Test
  void aConfirmedRollbackWithNoChangedVersionPagesInstead() throws Exception {
    RegressionActions.Acted acted = actions.act(answeredBy("v1", 1), comparison, decide(Action.ROLLBACK),
        new JsonObject().put("prompt", "v1").put("routing", "1")).await(10, TimeUnit.SECONDS);

    assertEquals(List.of(), acted.rollbacks());
    JsonObject alert = acted.alerts().get(0);
    assertEquals("page", alert.getString("action"));
    assertTrue(alert.getString("note").contains("nothing to roll back"), alert::encode);
  }

  @Test
  void aLoggedFindingPublishesNothing() throws Exception {
    RegressionActions.Acted acted = actions.act(answeredBy("v2", 2), comparison, decide(Action.LOG),
        new JsonObject().put("prompt", "v1").put("routing", "1")).await(10, TimeUnit.SECONDS);

    assertEquals(List.of(), acted.alerts());
    assertEquals(List.of(), acted.rollbacks());
    Thread.sleep(100);
    assertTrue(alerts.isEmpty() && rollbacks.isEmpty() && pages.isEmpty());
  }
}
