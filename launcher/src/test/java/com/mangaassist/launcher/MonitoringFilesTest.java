package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.config.ConfigFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus and Grafana files under {@code conf/}: the dashboard parses, every panel queries the provisioned
 * Prometheus, it shows what the issue asks for, and Prometheus scrapes every role on its configured port. That every
 * metric the dashboard reads is exported by a running system is {@link DashboardMetricsTest}'s.
 */
class MonitoringFilesTest {

  static final String DASHBOARD = "conf/grafana/dashboards/mangaassist.json";
  static final String PROMETHEUS = "conf/prometheus.yml";

  /** Every PromQL expression of the dashboard, by where it is (panel title and refId, or variable). */
  static Map<String, String> expressions(JsonObject dashboard) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        JsonObject target = (JsonObject) t;
        all.put("panel \"" + panel.getString("title") + "\" " + target.getString("refId"), target.getString("expr"));
      }
    }
    for (Object v : dashboard.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray())) {
      JsonObject variable = (JsonObject) v;
      Object query = variable.getValue("query");
      String text = query instanceof JsonObject q ? q.getString("query") : String.valueOf(query);
      // label_values(metric, label) is Grafana's, not PromQL: its first argument is the metric
      java.util.regex.Matcher labelValues = java.util.regex.Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$")
          .matcher(text.strip());
      all.put("variable " + variable.getString("name"), labelValues.matches() ? labelValues.group(1) : text);
    }
    return all;
  }

  @Test
  void theDashboardParsesAndEveryPanelQueriesTheProvisionedPrometheus() {
    JsonObject dashboard = RepoFiles.json(DASHBOARD);
    String datasourceUid = provisionedDatasourceUid();
    JsonArray panels = dashboard.getJsonArray("panels");
    assertFalse(panels.isEmpty(), "the dashboard has panels");
    Set<Integer> ids = new HashSet<>();
    for (Object p : panels) {
      JsonObject panel = (JsonObject) p;
      String title = panel.getString("title");
      assertTrue(ids.add(panel.getInteger("id")), "panel ids are unique: " + title);
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      assertFalse(targets.isEmpty(), "panel \"" + title + "\" has a query");
      for (Object t : targets) {
        JsonObject target = (JsonObject) t;
        String expr = target.getString("expr");
        assertTrue(expr != null && !expr.isBlank(), "panel \"" + title + "\" " + target.getString("refId") + " has a PromQL expression");
        assertFalse(PromQl.metricNames(expr).isEmpty(), "panel \"" + title + "\" reads some metric: " + expr);
      }
      assertEquals(datasourceUid, panel.getJsonObject("datasource").getString("uid"),
          "panel \"" + title + "\" uses the provisioned Prometheus data source");
      JsonObject grid = panel.getJsonObject("gridPos");
      assertTrue(grid.getInteger("x") + grid.getInteger("w") <= 24, "panel \"" + title + "\" fits Grafana's 24 columns");
    }
  }

  @Test
  void theDashboardShowsWhatTheIssueAsksFor() {
    Map<String, String> expressions = expressions(RepoFiles.json(DASHBOARD));
    Set<String> read = expressions.values().stream().flatMap(e -> PromQl.metricNames(e).stream())
        .collect(Collectors.toSet());
    for (String metric : List.of("first_token_latency_ms_bucket", "server_overhead_ms_bucket", "streaming_tokens_total",
        "semantic_cache_lookups_total", "mangaassist_precompute_hits_total", "chat_connections_open",
        "mangaassist_event_loop_lag_seconds_bucket", "mangaassist_event_loop_lag_seconds_max",
        "benchmark_regression_severity", "benchmark_runs_total", "benchmark_alerts_total")) {
      assertTrue(read.contains(metric), "the dashboard reads " + metric);
    }
    for (String quantile : List.of("0.50", "0.95", "0.99")) {
      assertTrue(expressions.values().stream().anyMatch(e -> e.startsWith("histogram_quantile(" + quantile + ",")
              && e.contains("by (le, intent, model)") && e.contains("first_token_latency_ms_bucket")),
          "first token at " + quantile + " per intent and model");
    }
  }

  @Test
  void prometheusScrapesEveryRoleOnItsConfiguredPort() {
    Map<String, Object> prometheus = RepoFiles.yaml(PROMETHEUS);
    JsonObject config = ConfigFiles.load(Map.of());
    Set<String> roles = new LinkedHashSet<>();
    for (Role role : Role.values()) {
      if (role != Role.DEV) {
        roles.add(role.name().toLowerCase(Locale.ROOT));
      }
    }
    Set<String> jobs = new LinkedHashSet<>();
    for (Map<String, Object> job : maps(prometheus.get("scrape_configs"))) {
      String name = (String) job.get("job_name");
      jobs.add(name);
      assertTrue(roles.contains(name), "job " + name + " is named after a role: " + roles);
      assertEquals("/metrics", job.get("metrics_path"), "job " + name + " scrapes /metrics");
      int port = config.getJsonObject(name).getInteger("port");
      List<String> targets = new ArrayList<>();
      for (Map<String, Object> group : maps(job.get("static_configs"))) {
        targets.addAll(strings(group.get("targets")));
      }
      assertFalse(targets.isEmpty(), "job " + name + " has targets");
      for (String target : targets) {
        assertEquals(port, URI.create("http://" + target).getPort(),
            "job " + name + " target " + target + " is on the " + name + "'s configured port");
      }
    }
    assertEquals(roles, jobs, "every role is scraped");
  }

  private static String provisionedDatasourceUid() {
    List<Map<String, Object>> datasources =
        maps(RepoFiles.yaml("conf/grafana/provisioning/datasources/prometheus.yml").get("datasources"));
    assertEquals(1, datasources.size());
    assertEquals("prometheus", datasources.get(0).get("type"));
    return (String) datasources.get(0).get("uid");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object list) {
    return list == null ? List.of() : (List<Map<String, Object>>) list;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object list) {
    return list == null ? List.of() : ((List<Object>) list).stream().map(String::valueOf).toList();
  }
}
