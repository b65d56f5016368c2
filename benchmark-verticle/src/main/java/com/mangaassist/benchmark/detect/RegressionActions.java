package com.mangaassist.benchmark.detect;

import com.mangaassist.benchmark.compare.Action;
import com.mangaassist.benchmark.compare.Decision;
import com.mangaassist.benchmark.compare.MetricComparison;
import com.mangaassist.benchmark.compare.RunComparison;
import com.mangaassist.benchmark.compare.Severity;
import com.mangaassist.benchmark.replay.ReplayRun;
import com.mangaassist.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on the persistence gate's decisions: every finding sets its severity flag; a logged one (SEV-3, or a SEV-2/1
 * not yet confirmed) is logged; a page publishes {@code mangaassist.alerts} and calls the PagerDuty-shaped webhook; a
 * rollback does both and publishes {@code mangaassist.ops.rollback} for each version (routing, prompt) that answered
 * the baseline's latest run but not this one. The orchestrator keeps every version, so reverting is activating the
 * baseline's. When no version changed, the regression is not something a rollback can undo: it pages instead.
 */
public final class RegressionActions {

  private static final Logger LOG = LoggerFactory.getLogger(RegressionActions.class);

  /** What a rollback can revert: the versions a run records. */
  static final List<String> ROLLBACK_TARGETS = List.of("routing", "prompt");

  /** The alerts and rollbacks one run published. */
  public record Acted(List<JsonObject> alerts, List<JsonObject> rollbacks) {}

  private final Vertx vertx;
  private final PagerDutyWebhook webhook;
  private final RegressionMetrics metrics;

  /** {@code alerts}: {@code webhookUrl}, {@code routingKey}, {@code timeoutMs} (see {@link PagerDutyWebhook}). */
  public RegressionActions(Vertx vertx, JsonObject alerts, RegressionMetrics metrics) {
    this.vertx = vertx;
    this.webhook = new PagerDutyWebhook(vertx, alerts);
    this.metrics = metrics;
  }

  public Future<Acted> act(ReplayRun run, RunComparison comparison, List<Decision> decisions,
      JsonObject baselineVersions) {
    List<JsonObject> alerts = new ArrayList<>();
    Map<String, JsonObject> rollbacks = new LinkedHashMap<>();
    List<Future<Void>> pages = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      Decision decision = decisions.get(i);
      MetricComparison found = comparison.comparisons().get(i);
      metrics.flag(found.intent(), found.metric().key(), found.severity());
      if (decision.action() == Action.NONE) {
        continue;
      }
      if (decision.action() == Action.LOG) {
        LOG.warn("benchmark {}: {} {} {} (p95 {} -> {} ms, {} consecutive run(s) at SEV-2 or worse): logged",
            run.runId(), found.severity().label(), found.intent(), found.metric().key(),
            round(found.latency().p95Base()), round(found.latency().p95New()), decision.consecutiveRuns());
        continue;
      }
      List<JsonObject> undo = decision.action() == Action.ROLLBACK
          ? rollbacksFor(run, found, baselineVersions) : List.of();
      undo.forEach(rollback -> rollbacks.putIfAbsent(rollback.getString("target"), rollback));
      JsonObject alert = alert(run, found, decision, undo.isEmpty() ? Action.PAGE : Action.ROLLBACK);
      if (decision.action() == Action.ROLLBACK && undo.isEmpty()) {
        alert.put("note", "no prompt or routing version changed since the baseline: nothing to roll back");
      }
      alerts.add(alert);
      LOG.error("benchmark {}: {} {} {} confirmed over {} runs: {}", run.runId(), found.severity().label(),
          found.intent(), found.metric().key(), decision.consecutiveRuns(), alert.encode());
      vertx.eventBus().publish(Addresses.ALERTS, alert);
      metrics.alerted(found.severity().label());
      pages.add(webhook.send(alert).onFailure(e -> LOG.warn("alert webhook failed: {}", e.getMessage())));
    }
    rollbacks.values().forEach(rollback -> {
      LOG.error("benchmark {}: rolling back {}", run.runId(), rollback.encode());
      vertx.eventBus().publish(Addresses.OPS_ROLLBACK, rollback);
      metrics.rolledBack(rollback.getString("target"));
    });
    // a failed webhook is logged, never a reason to lose the run's result
    return Future.join(pages).otherwiseEmpty()
        .map(done -> new Acted(List.copyOf(alerts), List.copyOf(rollbacks.values())));
  }

  /** {@code severity, intent, metric, baseline, current, pValue, effect, action} (DESIGN.md §4), plus context. */
  private static JsonObject alert(ReplayRun run, MetricComparison found, Decision decision, Action action) {
    double pValue = Math.min(nanToOne(found.latency().tailP()), nanToOne(found.latency().mannWhitney().pGreater()));
    if (found.errorRateNew() > found.errorRateBase()) {
      pValue = Math.min(pValue, found.errorP());
    }
    return new JsonObject()
        .put("severity", found.severity().label())
        .put("intent", found.intent())
        .put("metric", found.metric().key())
        .put("baseline", finite(found.latency().p95Base()))
        .put("current", finite(found.latency().p95New()))
        .put("pValue", pValue)
        .put("effect", finite(found.latency().p95Ratio().estimate() - 1))
        .put("action", action.label())
        .put("hlShiftMs", finite(found.latency().hodgesLehmann().estimate()))
        .put("errorRateBaseline", found.errorRateBase())
        .put("errorRateCurrent", found.errorRateNew())
        .put("consecutiveRuns", decision.consecutiveRuns())
        .put("runId", run.runId())
        .put("target", run.runFile().target());
  }

  private static List<JsonObject> rollbacksFor(ReplayRun run, MetricComparison found, JsonObject baselineVersions) {
    JsonObject current = run.versions();
    List<JsonObject> rollbacks = new ArrayList<>();
    for (String target : ROLLBACK_TARGETS) {
      String before = baselineVersions.getString(target);
      String now = current.getString(target);
      if (before != null && now != null && !Objects.equals(before, now)) {
        Object toVersion = "routing".equals(target) && before.matches("\\d+") ? (Object) Integer.valueOf(before) : before;
        rollbacks.add(new JsonObject().put("target", target).put("toVersion", toVersion)
            .put("fromVersion", now)
            .put("reason", String.format(Locale.ROOT,
                "benchmark run %s: %s %s %s p95 %.0f -> %.0f ms, confirmed over consecutive runs; %s version %s"
                    + " answered the baseline, %s answers now",
                run.runId(), found.severity().label(), found.intent(), found.metric().key(),
                found.latency().p95Base(), found.latency().p95New(), target, before, now)));
      }
    }
    return rollbacks;
  }

  private static double nanToOne(double p) {
    return Double.isNaN(p) ? 1.0 : p;
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static String round(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.0f", value) : "-";
  }
}
