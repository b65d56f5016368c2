package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.BenchmarkVerticle;
import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.bus.Addresses;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.metrics.EventLoopLagProbe;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.RedisKeys;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the Grafana dashboard reads is exported by a real system: emulator, precompute and orchestrator deployed
 * as {@code dev} deploys them ({@link RoleRunner#deployDev}), and the benchmark, in this JVM with Prometheus metrics and
 * the event-loop lag probe as {@code bin/mangaassist} runs them, the real Redis at {@code REDIS_URL}. Shoppers ask over
 * the real WebSocket (a follow-up answered from precompute among them) and the benchmark judges two small runs, so the
 * lazily registered meters exist; then {@code /metrics} of each role is scraped.
 * Sample names are compared exactly: a panel reading {@code x_bucket} needs a histogram, {@code x_count} is not enough.
 */
class DashboardMetricsTest {

  private static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
  /** The benchmark's baseline in a Redis database of its own, never a running system's or another test's. */
  private static final String BENCH_REDIS = REDIS_URL.replaceAll("/\\d*$", "") + "/6";
  private static final String INTENT = "faq";
  private static final long ANSWER_TIMEOUT_MS = 60_000;

  private static Vertx vertx;
  private static String transitionsKey;
  /** Role → its {@code /metrics} port. */
  private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = VertxStarter.standalone();
    EventLoopLagProbe.deploy(vertx).await(10, TimeUnit.SECONDS);
    transitionsKey = RedisKeys.transitions() + ":dashboard-test:" + UUID.randomUUID();
    JsonObject fast = new JsonObject().put("ttftMs", 50).put("tokensPerSecond", 2000).put("jitter", 0);
    JsonObject config = ConfigFiles.load().mergeIn(new JsonObject()
        .put("orchestrator", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("devMode", true))
        .put("emulator", new JsonObject().put("port", 0).put("coldStartPenaltyMs", 0).put("newConnectionPenaltyMs", 0)
            .put("profiles", new JsonObject().put("default", fast).put("anthropic.claude-3-haiku-20240307-v1:0", fast)
                .put("anthropic.claude-3-sonnet-20240229-v1:0", fast)))
        // a port of its own that is free now: deployDev does not say which port precompute took
        .put("precompute", new JsonObject().put("host", "127.0.0.1").put("port", freePort())
            .put("transitionsKey", transitionsKey).put("priorWeight", 1e9))
        .put("model", new JsonObject().put("keepAlive", new JsonObject().put("enabled", false)))
        .put("redis", new JsonObject().put("url", REDIS_URL)), true);
    config.getJsonObject("model").putNull("endpoint"); // dev's own emulator, whatever BEDROCK_ENDPOINT says

    // emulator, precompute and orchestrator as bin/mangaassist dev deploys them
    int orchestratorPort = RoleRunner.deployDev(vertx, config).await(180, TimeUnit.SECONDS);
    JsonObject benchmarkConfig = config.copy()
        .put("redis", new JsonObject().put("url", BENCH_REDIS))
        .put("benchmark", config.getJsonObject("benchmark").copy().put("host", "127.0.0.1").put("port", 0)
            .put("schedule", new JsonObject().put("enabled", false))
            .put("productionSampling", new JsonObject().put("fraction", 0.0))
            .put("replay", new JsonObject().put("url", "ws://127.0.0.1:" + orchestratorPort + "/ws")
                .put("perIntent", 3).put("warmup", 0).put("sockets", 1).put("timeoutMs", 30_000)
                .put("intents", new JsonArray().add(INTENT))));
    clearBaseline();
    BenchmarkVerticle benchmark = new BenchmarkVerticle();
    vertx.deployVerticle(benchmark, new DeploymentOptions().setConfig(benchmarkConfig)).await(60, TimeUnit.SECONDS);

    PORTS.put("orchestrator", orchestratorPort);
    PORTS.put("precompute", config.getJsonObject("precompute").getInteger("port"));
    PORTS.put("benchmark", benchmark.actualPort());
    PORTS.put("emulator", URI.create(config.getJsonObject("model").getString("endpoint")).getPort());
    askLikeShoppers(orchestratorPort);
    // two judged runs: the first becomes the baseline, the second is compared with it and flags a severity
    for (int run = 0; run < 2; run++) {
      vertx.eventBus().<JsonObject>request(Addresses.BENCH_RUN, new JsonObject(),
          new DeliveryOptions().setSendTimeout(120_000)).await(130, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      try {
        clearBaseline();
        Redis redis = RedisClients.create(vertx, new JsonObject().put("url", REDIS_URL));
        RedisAPI.api(redis).del(List.of(transitionsKey)).eventually(redis::close).await(10, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(60, TimeUnit.SECONDS);
      }
    }
  }

  /** A product question, its follow-up once precompute suggested it (a precompute hit), a recommendation (Sonnet). */
  private static void askLikeShoppers(int port) throws Exception {
    ChatEndpoint endpoint = ChatEndpoint.of(vertx, "ws://127.0.0.1:" + port + "/ws", 4);
    try {
      ChatSocket shopper = endpoint.connect("dashboard-" + UUID.randomUUID()).await(30, TimeUnit.SECONDS);
      Promise<Void> suggested = Promise.promise();
      shopper.otherFrameHandler(frame -> {
        if ("suggestions".equals(frame.getString("type"))) {
          suggested.tryComplete();
        }
      });
      answered(shopper, "q1", "Tell me about Monster");
      try {
        suggested.future().await(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // nothing predicted in time on a busy machine: the follow-up is asked anyway, its meters exist either way
      }
      answered(shopper, "q2", "Where can I buy it?");
      answered(shopper, "q3", "Recommend manga like One Piece (ref " + UUID.randomUUID() + ")");
      shopper.close().await(10, TimeUnit.SECONDS);
    } finally {
      endpoint.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static QueryOutcome answered(ChatSocket socket, String id, String text) throws Exception {
    QueryOutcome outcome = socket.ask(id, text, System.nanoTime(), ANSWER_TIMEOUT_MS)
        .await(ANSWER_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
    assertTrue(outcome.succeeded(), text + ": " + outcome.errorCode() + " " + outcome.errorMessage());
    return outcome;
  }

  @Test
  void everyMetricTheDashboardReadsIsExportedByARunningSystem() throws Exception {
    Map<String, Set<String>> exported = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> role : PORTS.entrySet()) {
      exported.put(role.getKey(), sampleNames(scrape(role.getKey(), role.getValue())));
    }
    Set<String> all = new LinkedHashSet<>();
    exported.values().forEach(all::addAll);
    List<String> missing = new ArrayList<>();
    MonitoringFilesTest.expressions(RepoFiles.json(MonitoringFilesTest.DASHBOARD)).forEach((where, expr) -> {
      for (String metric : PromQl.metricNames(expr)) {
        if (!all.contains(metric)) {
          missing.add(where + ": " + metric);
        }
      }
    });
    assertEquals(List.of(), missing, "metrics the dashboard reads that no role exports");
    exported.forEach((role, names) -> assertTrue(names.contains("mangaassist_event_loop_lag_seconds_max"),
        role + " exports the event-loop lag"));
  }

  private static String scrape(String role, int port) throws Exception {
    // HTTP/1.1: the JDK client's h2c upgrade against the emulator's cleartext HTTP/2 breaks on the first frame
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), role + " /metrics");
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"), role + " /metrics");
    return response.body();
  }

  /** The sample names of a Prometheus text exposition ({@code name{labels} value} or {@code name value}). */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new LinkedHashSet<>();
    exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
    return names;
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void clearBaseline() throws Exception {
    List<String> keys = new ArrayList<>(List.of(RedisKeys.benchBaselineVersions(),
        RedisKeys.benchBaselineOutcomes("synthetic", INTENT), RedisKeys.benchBaselineOutcomes("production", INTENT)));
    for (String source : List.of("synthetic", "production")) {
      for (String metric : List.of("ttft_ms", "total_ms")) {
        keys.add(RedisKeys.benchBaseline(source, INTENT, metric));
      }
    }
    Redis redis = RedisClients.create(vertx, new JsonObject().put("url", BENCH_REDIS));
    RedisAPI.api(redis).del(keys).eventually(redis::close).await(10, TimeUnit.SECONDS);
  }
}
