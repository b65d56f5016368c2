package com.mangaassist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.baseline.BaselineStore;
import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.config.ConfigFiles;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.Arrays;
import com.mangaassist.bus.Addresses;
import com.mangaassist.store.RedisKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's end-to-end case: the benchmark role replays through a real orchestrator + Bedrock emulator and builds its
 * baseline; a routing version that sends every intent to Sonnet goes live while the emulator's Sonnet gets slower
 * (its latency profile); the next run finds SEV-1 and only logs it (one run is not enough), the run after confirms it,
 * pages through the PagerDuty-shaped webhook, alerts on the bus and rolls routing back, and the orchestrator applies
 * the rollback.
 */
class BenchmarkRegressionEndToEndTest {

  private static final String SONNET = "anthropic.claude-3-sonnet-20240229-v1:0";
  private static final List<String> INTENTS = List.of("faq", "product_info");
  /** A Redis database of its own, so the test's baseline never meets a running system's. */
  private static final String BENCH_REDIS = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379")
      .replaceAll("/\\d*$", "") + "/7";

  static RunningSystem system;
  static HttpServer pagerDuty;
  static final List<JsonObject> pages = new CopyOnWriteArrayList<>();
  static final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
  static final List<JsonObject> rollbacks = new CopyOnWriteArrayList<>();
  static final List<JsonObject> results = new CopyOnWriteArrayList<>();
  static int benchmarkPort;

  @BeforeAll
  static void start() throws Exception {
    JsonObject everyModelFast = new JsonObject().put("tokensPerSecond", 3000);
    system = RunningSystem.start(new JsonObject()
        .put("emulator", new JsonObject().put("profiles", new JsonObject()
            .put("default", everyModelFast).put("anthropic.claude-3-haiku-20240307-v1:0", everyModelFast)
            .put(SONNET, everyModelFast)))
        // version 1 is the shipped table (these intents on Haiku); version 2 sends everything to Sonnet
        .put("routing", new JsonObject().put("active", 1).put("versions", new JsonObject()
            .put("2", new JsonObject().put("default", new JsonObject().put("model", "sonnet").put("maxTokens", 200))))));
    clearBaseline();
    pagerDuty = system.vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          pages.add(body.toJsonObject());
          request.response().setStatusCode(202).end("{\"status\":\"success\"}");
        }))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    system.vertx.eventBus().<JsonObject>consumer(Addresses.ALERTS, m -> alerts.add(m.body()));
    system.vertx.eventBus().<JsonObject>consumer(Addresses.OPS_ROLLBACK, m -> rollbacks.add(m.body()));
    system.vertx.eventBus().<JsonObject>consumer(Addresses.BENCH_RESULT, m -> results.add(m.body()));
    BenchmarkVerticle benchmark = new BenchmarkVerticle();
    JsonObject config = new JsonObject()
        .put("redis", new JsonObject().put("url", BENCH_REDIS))
        // signed tokens, as against a production orchestrator (the dev-token path is bench run's)
        .put("orchestrator", new JsonObject().put("auth", new JsonObject().put("jwtSecret", RunningSystem.JWT_SECRET)))
        .put("benchmark", new JsonObject()
            .put("port", 0).put("host", "127.0.0.1")
            .put("schedule", new JsonObject().put("enabled", false))
            .put("productionSampling", new JsonObject().put("fraction", 1.0))
            .put("replay", new JsonObject().put("url", system.wsUrl()).put("perIntent", 10).put("warmup", 2)
                .put("sockets", 4).put("timeoutMs", 20_000).put("intents", new JsonArray(INTENTS)))
            .put("alerts", new JsonObject().put("webhookUrl", "http://127.0.0.1:" + pagerDuty.actualPort() + "/v2/enqueue")
                .put("routingKey", "test-routing-key"))
            // the shipped regression settings: alpha 0.01, persistence over 2 runs
            .put("regression", ConfigFiles.load().getJsonObject("benchmark")
                .getJsonObject("regression")));
    system.vertx.deployVerticle(benchmark, new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
    benchmarkPort = benchmark.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      clearBaseline();
      system.close();
    }
  }

  @Test
  void slowerModelBehindANewRoutingVersionIsLoggedThenConfirmedPagedAndRolledBack() throws Exception {
    JsonObject baseline = run();
    assertEquals("none", baseline.getString("severity"));
    assertEquals(0, baseline.getJsonArray("verdicts").size(), "nothing to compare with before the first run");
    assertTrue(baseline.getBoolean("admittedToBaseline"));
    assertEquals("1", baseline.getJsonObject("versions").getString("routing"));
    for (String intent : INTENTS) {
      JsonObject measured = baseline.getJsonObject("intents").getJsonObject(intent);
      assertEquals(10, measured.getInteger("count"));
      assertEquals(0, measured.getInteger("errors"));
    }

    // routing v2 goes live (the orchestrator switches versions over this address) and its model gets slower
    system.vertx.eventBus().publish(Addresses.OPS_ROLLBACK, new JsonObject().put("target", "routing")
        .put("toVersion", 2).put("reason", "test: deploy routing v2"));
    // far beyond +50 % even when a busy CI machine inflates the baseline's tail
    system.emulator.updateProfiles(new JsonObject().put(SONNET, new JsonObject().put("ttftMs", 1000)));
    awaitRoutingVersion(2);
    rollbacks.clear();

    JsonObject firstSlow = run();
    assertEquals("2", firstSlow.getJsonObject("versions").getString("routing"));
    assertEquals("SEV-1", firstSlow.getString("severity"));
    JsonObject firstTtft = verdict(firstSlow, "faq", "ttft_ms");
    assertEquals("SEV-1", firstTtft.getString("severity"));
    assertEquals("log", firstTtft.getString("action"), "one run is not enough to page or roll back");
    assertEquals(1, firstTtft.getInteger("consecutive_runs"));
    assertFalse(firstSlow.getBoolean("admittedToBaseline"), "a regressed run must not become the baseline");
    assertTrue(alerts.isEmpty() && pages.isEmpty() && rollbacks.isEmpty(), () -> "acted on one run: " + alerts);

    JsonObject secondSlow = run();
    JsonObject confirmed = verdict(secondSlow, "faq", "ttft_ms");
    assertEquals("SEV-1", confirmed.getString("severity"));
    assertEquals(2, confirmed.getInteger("consecutive_runs"));
    assertEquals("rollback", confirmed.getString("action"));

    assertEquals(1, secondSlow.getJsonArray("rollbacks").size());
    awaitRoutingVersion(1);
    assertEquals(1, rollbacks.size(), () -> "one rollback per target and run: " + rollbacks);
    JsonObject rollback = rollbacks.get(0);
    assertEquals("routing", rollback.getString("target"));
    assertEquals(1, rollback.getInteger("toVersion"));
    assertTrue(rollback.getString("reason").contains("SEV-1"), rollback::encode);

    JsonObject alert = alerts.stream().filter(a -> a.getString("intent").equals("faq")
        && a.getString("metric").equals("ttft_ms")).findFirst().orElseThrow();
    assertEquals("SEV-1", alert.getString("severity"));
    assertEquals("rollback", alert.getString("action"));
    assertTrue(alert.getDouble("current") > 1.5 * alert.getDouble("baseline"), alert::encode);
    assertTrue(alert.getDouble("pValue") < 0.005, alert::encode);
    assertTrue(alert.getDouble("effect") > 0.5, alert::encode);

    awaitPages(alerts.size());
    JsonObject page = pages.stream().filter(p -> p.getJsonObject("payload").getJsonObject("custom_details")
        .getString("intent").equals("faq")).findFirst().orElseThrow();
    assertEquals("test-routing-key", page.getString("routing_key"));
    assertEquals("trigger", page.getString("event_action"));
    assertEquals("critical", page.getJsonObject("payload").getString("severity"));
    assertEquals("mangaassist-benchmark", page.getJsonObject("payload").getString("source"));
    assertNotNull(page.getJsonObject("payload").getString("summary"));

    assertEquals(3, results.size(), "every run's summary is published on mangaassist.bench.result");
    String metrics = get("/metrics");
    assertTrue(metrics.contains("benchmark_regression_severity{intent=\"faq\",metric=\"ttft_ms\"} 3.0"), metrics);
    String report = get("/report");
    assertTrue(report.contains("<h1>MangaAssist benchmark run " + secondSlow.getString("runId")), report);
    assertTrue(report.contains("<tr class=\"SEV-1\"><td class=l>faq</td><td class=l>ttft_ms</td>"), report);
    assertTrue(report.contains("<svg ") && !report.contains("<script"), "inline SVG, no script");
  }

  @Test
  void everyRealTurnIsSampledIntoTheProductionBaselineWithTheServersTimings() throws Exception {
    // the replays above or below are real turns too; one more question makes the test stand alone
    ChatEndpoint endpoint =
        ChatEndpoint.of(system.vertx, system.wsUrl(), 1);
    ChatSocket socket = endpoint.connect("production-sample").await(30, TimeUnit.SECONDS);
    QueryOutcome outcome = socket.ask("p1",
        "What is your return policy for manga volumes? (ref production-" + System.nanoTime() + ")", System.nanoTime(),
        20_000).await(30, TimeUnit.SECONDS);
    endpoint.close().await(10, TimeUnit.SECONDS);
    assertTrue(outcome.succeeded(), () -> outcome.errorCode() + " " + outcome.errorMessage());
    String intent = outcome.metadata().getString("intent");
    double serverFirstToken = outcome.metadata().getDouble("first_token_ms");

    Redis redis = Redis.createClient(system.vertx, BENCH_REDIS);
    try {
      BaselineStore store = new BaselineStore(
          RedisAPI.api(redis), new JsonObject());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      IntentSamples sampled;
      do {
        sampled = store.read("production", intent, System.currentTimeMillis()).await(10, TimeUnit.SECONDS);
        if (sampled != null && Arrays.stream(sampled.ttftMs()).anyMatch(ms -> ms == serverFirstToken)) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() < deadline);
      IntentSamples found = sampled;
      assertNotNull(found, "no production sample of " + intent);
      assertTrue(Arrays.stream(found.ttftMs()).anyMatch(ms -> ms == serverFirstToken),
          () -> "the turn's first_token_ms " + serverFirstToken + " is not among " + Arrays.toString(found.ttftMs()));
      assertEquals(found.ttftMs().length, found.totalMs().length);
    } finally {
      RedisAPI.api(redis).del(List.of(RedisKeys.benchBaseline("production", intent, "ttft_ms"),
          RedisKeys.benchBaseline("production", intent, "total_ms"),
          RedisKeys.benchBaselineOutcomes("production", intent))).eventually(redis::close).await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject run() throws Exception {
    return system.vertx.eventBus().<JsonObject>request(Addresses.BENCH_RUN, new JsonObject(),
            new DeliveryOptions().setSendTimeout(120_000))
        .map(Message::body).await(150, TimeUnit.SECONDS);
  }

  private static JsonObject verdict(JsonObject summary, String intent, String metric) {
    for (Object entry : summary.getJsonArray("verdicts")) {
      JsonObject verdict = (JsonObject) entry;
      if (verdict.getString("intent").equals(intent) && verdict.getString("metric").equals(metric)) {
        return verdict;
      }
    }
    throw new AssertionError("no verdict for " + intent + " " + metric + " in " + summary.encodePrettily());
  }

  private static void awaitRoutingVersion(int version) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject ready;
    do {
      ready = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.port + "/ready"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      if (ready.getInteger("routingVersion") == version) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("routing version never became " + version + ": " + ready.encode());
  }

  private static void awaitPages(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pages.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(count, pages.size(), "one webhook call per alert");
  }

  private static String get(String path) throws Exception {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + benchmarkPort
        + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void clearBaseline() throws Exception {
    Redis redis = Redis.createClient(system.vertx, BENCH_REDIS);
    RedisAPI api = RedisAPI.api(redis);
    List<String> keys = new ArrayList<>();
    keys.add(RedisKeys.benchBaselineVersions());
    for (String intent : INTENTS) {
      keys.add(RedisKeys.benchBaseline("synthetic", intent, "ttft_ms"));
      keys.add(RedisKeys.benchBaseline("synthetic", intent, "total_ms"));
      keys.add(RedisKeys.benchBaselineOutcomes("synthetic", intent));
      keys.add(RedisKeys.benchBaseline("production", intent, "ttft_ms"));
      keys.add(RedisKeys.benchBaseline("production", intent, "total_ms"));
      keys.add(RedisKeys.benchBaselineOutcomes("production", intent));
    }
    api.del(keys).eventually(redis::close).await(10, TimeUnit.SECONDS);
  }
}
