package com.mangaassist.launcher;

import com.mangaassist.benchmark.stats.Percentiles;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.intent.LabeledExample;
import com.mangaassist.orchestrator.OrchestratorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/mangaassist bench pipeline [--queries N] [--concurrency C]}: the time this system spends before the
 * model call (embedding, intent, entities, fan-out, prompt), and its server overhead to first token, measured from
 * {@code done.metadata} of real turns through the public WebSocket of an in-process emulator + orchestrator.
 * Questions are the held-out intent examples, each made unique so that no cache answers and every turn runs the
 * full pipeline. Percentiles are nearest-rank over the measured turns (warm-up turns discarded).
 */
final class PipelineBenchmark {

  private static final int WARMUP = 20;
  /** The fan-out's branches, each timed by the turn ({@code <branch>_ms}; absent when a branch was skipped). */
  private static final List<String> BRANCHES = List.of("cache", "retrieval", "history", "profile");

  private PipelineBenchmark() {}

  static void run(int queries, int concurrency) throws Exception {
    JsonObject config = ConfigFiles.load();
    try (RedisLocator redis = RedisLocator.locate(config.getJsonObject("redis").getString("url", "redis://127.0.0.1:6379"))) {
      config.getJsonObject("redis").put("url", redis.url());
      config.getJsonObject("orchestrator").put("devMode", true).put("port", 0).put("host", "127.0.0.1");
      config.getJsonObject("emulator").put("port", 0);
      config.getJsonObject("model").put("keepAlive", new JsonObject().put("enabled", true));
      Vertx vertx = Vertx.vertx();
      try {
        EmulatorVerticle emulator = new EmulatorVerticle();
        vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config.getJsonObject("emulator"))).await(60, TimeUnit.SECONDS);
        config.getJsonObject("model").put("endpoint", "http://127.0.0.1:" + emulator.actualPort());
        OrchestratorVerticle orchestrator = new OrchestratorVerticle();
        vertx.deployVerticle(orchestrator, new DeploymentOptions().setConfig(config)).await(120, TimeUnit.SECONDS);
        List<String> questions = LabeledExample.read(ConfigFiles.confDir().resolve("intents/examples.jsonl")).stream()
            .filter(e -> !e.training()).map(LabeledExample::text).toList();
        List<JsonObject> results = drive(vertx, orchestrator.actualPort(), questions, WARMUP + queries, concurrency);
        report(results.subList(Math.min(WARMUP, results.size()), results.size()), concurrency);
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code concurrency} sockets, each asking its next question as soon as the previous one is done. */
  private static List<JsonObject> drive(Vertx vertx, int port, List<String> questions, int total, int concurrency)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    List<JsonObject> results = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    List<CompletableFuture<Void>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      CompletableFuture<Void> finished = new CompletableFuture<>();
      // one shopper per socket, as in real traffic (and within the per-user connection limit)
      String token = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/auth/dev-token?user=bench-" + w)).build(),
          HttpResponse.BodyHandlers.ofString()).body()).getString("token");
      workers.add(finished);
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws?token=" + token))
          .onSuccess(ws -> askNext(ws, questions, next, total, results, finished))
          .onFailure(finished::completeExceptionally);
    }
    CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(30, TimeUnit.MINUTES);
    client.close();
    return results;
  }

  private static void askNext(WebSocket ws, List<String> questions, AtomicInteger next, int total,
      List<JsonObject> results, CompletableFuture<Void> finished) {
    int n = next.getAndIncrement();
    if (n >= total) {
      ws.close();
      finished.complete(null);
      return;
    }
    String id = "q" + n;
    String text = questions.get(n % questions.size()) + " (ref " + UUID.randomUUID().toString().substring(0, 8) + ")";
    Promise<JsonObject> done = Promise.promise();
    ws.textMessageHandler(frame -> {
      JsonObject json = new JsonObject(frame);
      if (id.equals(json.getString("id")) && ("done".equals(json.getString("type")) || "error".equals(json.getString("type")))) {
        done.tryComplete(json);
      }
    });
    ws.writeTextMessage(new JsonObject().put("action", "query").put("id", id).put("text", text).encode());
    done.future().onSuccess(terminal -> {
      results.add(terminal);
      if (n % 50 == 0) {
        System.out.printf(Locale.ROOT, "  %d/%d turns%n", n, total);
      }
      askNext(ws, questions, next, total, results, finished);
    });
  }

  private static void report(List<JsonObject> terminals, int concurrency) {
    Map<String, List<Double>> series = new HashMap<>();
    int errors = 0;
    for (JsonObject terminal : terminals) {
      if (!"done".equals(terminal.getString("type"))) {
        errors++;
        continue;
      }
      JsonObject metadata = terminal.getJsonObject("metadata");
      JsonObject timings = metadata.getJsonObject("timings");
      add(series, "pre-model (received -> model call)", timings.getDouble("pre_model_ms"));
      add(series, "  entities + masking", timings.getDouble("entities_ms"));
      add(series, "  embedding of the masked question", timings.getDouble("embed_ms"));
      add(series, "  intent classification", timings.getDouble("classify_ms"));
      add(series, "  fan-out (cache, retrieval, history, profile)", timings.getDouble("fanout_ms"));
      for (String branch : BRANCHES) {
        add(series, "    " + branch, timings.getDouble(branch + "_ms"));
      }
      add(series, "  prompt assembly", timings.getDouble("prompt_ms"));
      Double first = metadata.getDouble("first_token_ms");
      Double modelFirst = metadata.getDouble("model_first_token_ms");
      if (first != null && modelFirst != null) {
        add(series, "server overhead (first_token - model_first_token)", first - modelFirst);
        add(series, "first token (received -> first chunk)", first);
      }
    }
    System.out.printf(Locale.ROOT, "%n%d turns measured (%d warm-up discarded), %d concurrent sockets, %d errors%n",
        terminals.size(), WARMUP, concurrency, errors);
    System.out.printf(Locale.ROOT, "%-52s %8s %8s %8s %8s%n", "ms", "p50", "p90", "p99", "max");
    List<String> rows = new ArrayList<>(List.of("pre-model (received -> model call)", "  entities + masking",
        "  embedding of the masked question", "  intent classification", "  fan-out (cache, retrieval, history, profile)"));
    BRANCHES.forEach(branch -> rows.add("    " + branch));
    rows.addAll(List.of("  prompt assembly", "server overhead (first_token - model_first_token)",
        "first token (received -> first chunk)"));
    for (String name : rows) {
      List<Double> values = series.getOrDefault(name, List.of());
      if (values.isEmpty()) {
        continue;
      }
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      System.out.printf(Locale.ROOT, "%-52s %8.2f %8.2f %8.2f %8.2f%n", name, Percentiles.ofSorted(sorted, 0.50),
          Percentiles.ofSorted(sorted, 0.90), Percentiles.ofSorted(sorted, 0.99), sorted.get(sorted.size() - 1));
    }
  }

  private static void add(Map<String, List<Double>> series, String name, Double value) {
    if (value != null) {
      series.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

}
