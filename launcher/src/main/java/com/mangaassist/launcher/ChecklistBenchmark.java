package com.mangaassist.launcher;

import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.benchmark.synthetic.SyntheticQueries;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.benchmark.stats.Percentiles;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.orchestrator.OrchestratorVerticle;
import com.mangaassist.precompute.PrecomputeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist bench checklist [--rounds N] [--json]}: each optimisation of the seed's checklist as a
 * with/without pair in one run. One emulator (the shipped latency profiles), one precompute role and the real Redis
 * serve two orchestrators that differ by that one switch; every round asks both the same question, in alternating
 * order, and records the client's time to first token. Answers are cancelled at their first token (except where the
 * whole answer matters: the cache's first ask, the precompute trigger turn), so a round costs about one TTFT.
 */
final class ChecklistBenchmark {

  private static final long ANSWER_TIMEOUT_MS = 60_000;
  private static final long SUGGESTIONS_WAIT_MS = 6_000;
  private static final long STORE_GRACE_MS = 300;
  private static final List<String> CACHEABLE = List.of("product_info", "recommendation", "faq", "product_search");

  /** How a pair is exercised: single fresh turns, a question asked twice, or a trigger turn and its follow-up. */
  private enum Workload { SINGLE_TURNS, REPEATED_QUESTION, FOLLOW_UP }

  private record Pair(String optimisation, JsonObject without, Workload workload) {}

  private static final List<Pair> PAIRS = List.of(
      new Pair("warm model connection (keep-alive, pooled)", new JsonObject()
          .put("model", new JsonObject().put("keepAlive", new JsonObject().put("enabled", false))
              .put("http", new JsonObject().put("protocol", "http1.1").put("maxConcurrency", 1).put("connectionMaxIdleMs", 1))),
          Workload.SINGLE_TURNS),
      new Pair("pre-loaded prompt templates", json("orchestrator", json("prompts", new JsonObject().put("preloaded", false))),
          Workload.SINGLE_TURNS),
      new Pair("parallel fan-out", json("orchestrator", json("fanout", new JsonObject().put("parallel", false))),
          Workload.SINGLE_TURNS),
      new Pair("first delta at once, then batches",
          json("orchestrator", json("streaming", new JsonObject().put("firstDeltaAtOnce", false))), Workload.SINGLE_TURNS),
      new Pair("intent routing (Haiku for simple turns)", json("routing", json("byIntent", new JsonObject().put("enabled", false))),
          Workload.SINGLE_TURNS),
      new Pair("semantic cache (question asked before)", json("cache", new JsonObject().put("enabled", false)),
          Workload.REPEATED_QUESTION),
      new Pair("precomputed follow-ups", json("precompute", new JsonObject().put("serve", false)), Workload.FOLLOW_UP));

  private final Vertx vertx;
  private final SyntheticQueries questions;
  private final List<CatalogTitle> titles;
  private final SplittableRandom random = new SplittableRandom(11);
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private int sequence;

  private ChecklistBenchmark(Vertx vertx, SyntheticQueries questions, List<CatalogTitle> titles) {
    this.vertx = vertx;
    this.questions = questions;
    this.titles = titles;
  }

  private static JsonObject json(String key, JsonObject value) {
    return new JsonObject().put(key, value);
  }

  static void run(int rounds, boolean asJson) throws Exception {
    JsonObject config = ConfigFiles.load();
    try (RedisLocator redis = RedisLocator.locate(config.getJsonObject("redis").getString("url", "redis://127.0.0.1:6379"))) {
      config.getJsonObject("redis").put("url", redis.url());
      config.getJsonObject("orchestrator").put("devMode", true).put("port", 0).put("host", "127.0.0.1");
      // the model stays warm for the whole run: cold starts are bench warmup's subject, not this one's
      config.getJsonObject("emulator").put("port", 0).put("coldAfterIdleMs", 3_600_000);
      config.getJsonObject("precompute").put("port", 0);
      config.getJsonObject("model").put("keepAlive", new JsonObject().put("enabled", true));
      Vertx vertx = Vertx.vertx();
      try {
        EmulatorVerticle emulator = new EmulatorVerticle();
        vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config.getJsonObject("emulator")))
            .await(60, TimeUnit.SECONDS);
        config.getJsonObject("model").put("endpoint", "http://127.0.0.1:" + emulator.actualPort());
        vertx.deployVerticle(new PrecomputeVerticle(), new DeploymentOptions().setConfig(config)).await(120, TimeUnit.SECONDS);
        Catalog catalog = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"));
        ChecklistBenchmark bench = new ChecklistBenchmark(vertx,
            SyntheticQueries.load(ConfigFiles.confDir().resolve("bench/synthetic.json"), catalog, 5), catalog.titles());
        JsonArray rows = bench.measure(config, rounds);
        if (asJson) {
          System.out.println(new JsonObject().put("rounds", rounds).put("pairs", rows).encode());
        } else {
          print(rows, rounds);
        }
      } finally {
        vertx.close().await(60, TimeUnit.SECONDS);
      }
    }
  }

  private JsonArray measure(JsonObject config, int rounds) throws Exception {
    Arm with = Arm.deploy(vertx, config, "with");
    JsonArray rows = new JsonArray();
    try {
      for (Pair pair : PAIRS) {
        System.err.println("measuring: " + pair.optimisation());
        Arm without = Arm.deploy(vertx, config.copy().mergeIn(pair.without(), true), "without");
        try {
          List<Double> withTtft = new ArrayList<>();
          List<Double> withoutTtft = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            // alternate which arm goes first so neither always meets the other's leftovers
            boolean withFirst = round % 2 == 0;
            Arm first = withFirst ? with : without;
            Arm second = withFirst ? without : with;
            double[] ttft = switch (pair.workload()) {
              case SINGLE_TURNS -> singleTurn(first, second);
              case REPEATED_QUESTION -> repeatedQuestion(first, second, round);
              case FOLLOW_UP -> followUp(first, second);
            };
            (withFirst ? withTtft : withoutTtft).add(ttft[0]);
            (withFirst ? withoutTtft : withTtft).add(ttft[1]);
          }
          rows.add(row(pair, withTtft, withoutTtft));
        } finally {
          without.close();
        }
      }
    } finally {
      with.close();
    }
    return rows;
  }

  /** A fresh question (no cache can answer it) on each arm's long-lived socket. */
  private double[] singleTurn(Arm first, Arm second) throws Exception {
    String text = questions.nextByWeight().text() + " (ref " + UUID.randomUUID().toString().substring(0, 8) + ")";
    return new double[] {first.firstTokenMs(text), second.firstTokenMs(text)};
  }

  /** A cacheable question asked once in full (stored in the cache when it is on), then again: the second is timed. */
  private double[] repeatedQuestion(Arm first, Arm second, int round) throws Exception {
    String text = questions.next(CACHEABLE.get(round % CACHEABLE.size())).text() + " (ref " + run + "-" + round + ")";
    first.wholeAnswer(first.socket(), text);
    second.wholeAnswer(second.socket(), text);
    // the answer is stored after done, off the answer's path: the shopper who asks again comes back a little later
    Thread.sleep(STORE_GRACE_MS);
    return new double[] {first.firstTokenMs(text), second.firstTokenMs(text)};
  }

  /** A new shopper asks about a title, reads until suggestions arrive, then asks where to buy it: the follow-up is timed. */
  private double[] followUp(Arm first, Arm second) throws Exception {
    CatalogTitle title = titles.get(random.nextInt(titles.size()));
    return new double[] {first.followUpMs(title, "checklist-" + run + "-" + sequence++),
        second.followUpMs(title, "checklist-" + run + "-" + sequence++)};
  }

  private static JsonObject row(Pair pair, List<Double> with, List<Double> without) {
    Collections.sort(with);
    Collections.sort(without);
    double withP50 = tenths(Percentiles.ofSorted(with, 0.5));
    double withoutP50 = tenths(Percentiles.ofSorted(without, 0.5));
    return new JsonObject()
        .put("optimisation", pair.optimisation())
        .put("without_config", pair.without())
        .put("samples", with.size())
        .put("with_ttft_ms", new JsonObject().put("p50", withP50)
            .put("p90", tenths(Percentiles.ofSorted(with, 0.9))))
        .put("without_ttft_ms", new JsonObject().put("p50", withoutP50)
            .put("p90", tenths(Percentiles.ofSorted(without, 0.9))))
        .put("saved_p50_ms", Math.round((withoutP50 - withP50) * 10) / 10.0)
        .put("speedup_p50", withP50 > 0 ? Math.round(withoutP50 / withP50 * 100) / 100.0 : null);
  }


  private static double tenths(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  private static void print(JsonArray rows, int rounds) {
    System.out.printf(Locale.ROOT, "%nchecklist: client time to first token (ms), %d rounds per pair, with/without interleaved%n",
        rounds);
    System.out.printf(Locale.ROOT, "%-44s %9s %9s %11s %11s %10s %8s%n", "optimisation", "with p50", "with p90",
        "without p50", "without p90", "saved p50", "speedup");
    for (int i = 0; i < rows.size(); i++) {
      JsonObject r = rows.getJsonObject(i);
      JsonObject w = r.getJsonObject("with_ttft_ms");
      JsonObject wo = r.getJsonObject("without_ttft_ms");
      System.out.printf(Locale.ROOT, "%-44s %9.1f %9.1f %11.1f %11.1f %10.1f %7.2fx%n", r.getString("optimisation"),
          w.getDouble("p50"), w.getDouble("p90"), wo.getDouble("p50"), wo.getDouble("p90"), r.getDouble("saved_p50_ms"),
          r.getDouble("speedup_p50") == null ? Double.NaN : r.getDouble("speedup_p50"));
    }
  }

  /** One orchestrator of a pair, with a long-lived shopper socket. */
  private static final class Arm {
    private final Vertx vertx;
    private final String deploymentId;
    private final ChatEndpoint endpoint;
    private final ChatSocket socket;
    private int queries;

    private Arm(Vertx vertx, String deploymentId, ChatEndpoint endpoint, ChatSocket socket) {
      this.vertx = vertx;
      this.deploymentId = deploymentId;
      this.endpoint = endpoint;
      this.socket = socket;
    }

    static Arm deploy(Vertx vertx, JsonObject config, String name) throws Exception {
      OrchestratorVerticle orchestrator = new OrchestratorVerticle();
      String id = vertx.deployVerticle(orchestrator, new DeploymentOptions().setConfig(config)).await(120, TimeUnit.SECONDS);
      ChatEndpoint endpoint = ChatEndpoint.of(vertx, "ws://127.0.0.1:" + orchestrator.actualPort() + "/ws", 64);
      ChatSocket socket = endpoint.connect("checklist-" + name + "-" + UUID.randomUUID()).await(30, TimeUnit.SECONDS);
      Arm arm = new Arm(vertx, id, endpoint, socket);
      // one unmeasured turn: the arm's own JVM paths, connections and caches are warm before the first sample
      arm.firstTokenMs("Tell me about One Piece (ref warm-" + UUID.randomUUID() + ")");
      return arm;
    }

    ChatSocket socket() {
      return socket;
    }

    double firstTokenMs(String text) throws Exception {
      QueryOutcome outcome = socket.ask("c" + queries++, text, System.nanoTime(), ANSWER_TIMEOUT_MS, true)
          .await(ANSWER_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
      return timed(outcome);
    }

    void wholeAnswer(ChatSocket on, String text) throws Exception {
      QueryOutcome outcome = on.ask("c" + queries++, text, System.nanoTime(), ANSWER_TIMEOUT_MS, false)
          .await(ANSWER_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
      timed(outcome);
    }

    double followUpMs(CatalogTitle title, String user) throws Exception {
      ChatSocket shopper = endpoint.connect(user).await(30, TimeUnit.SECONDS);
      try {
        Promise<Void> suggested = Promise.promise();
        shopper.otherFrameHandler(frame -> {
          if ("suggestions".equals(frame.getString("type"))) {
            suggested.tryComplete();
          }
        });
        wholeAnswer(shopper, "Tell me about " + title.title());
        try {
          suggested.future().await(SUGGESTIONS_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          // nothing predicted in time: the follow-up is asked anyway, as a shopper would
        }
        QueryOutcome outcome = shopper.ask("f", "Where can I buy it?", System.nanoTime(), ANSWER_TIMEOUT_MS, true)
            .await(ANSWER_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        return timed(outcome);
      } finally {
        shopper.close();
      }
    }

    private static double timed(QueryOutcome outcome) {
      if (!outcome.succeeded() || outcome.ttftNanos() < 0) {
        throw new IllegalStateException("query failed: " + outcome.errorCode() + " " + outcome.errorMessage());
      }
      return outcome.ttftNanos() / 1e6;
    }

    void close() throws Exception {
      Future.join(socket.close(), endpoint.close()).await(30, TimeUnit.SECONDS);
      vertx.undeploy(deploymentId).await(60, TimeUnit.SECONDS);
    }
  }
}
