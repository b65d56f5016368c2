package com.mangaassist.benchmark;

import com.mangaassist.benchmark.baseline.BaselineStore;
import com.mangaassist.benchmark.baseline.ProductionSampler;
import com.mangaassist.benchmark.client.SignedTokens;
import com.mangaassist.benchmark.compare.RegressionSettings;
import com.mangaassist.benchmark.detect.RegressionActions;
import com.mangaassist.benchmark.detect.RegressionDetector;
import com.mangaassist.benchmark.detect.RegressionMetrics;
import com.mangaassist.benchmark.detect.RunVerdict;
import com.mangaassist.benchmark.replay.ReplayOptions;
import com.mangaassist.benchmark.report.HtmlReport;
import com.mangaassist.benchmark.replay.SyntheticReplay;
import com.mangaassist.benchmark.synthetic.SyntheticQueries;
import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.ClusterStatus;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.metrics.PrometheusScrape;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.store.RedisClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code benchmark} role: synthetic replay through the public WebSocket on a schedule and on request, each run
 * judged against the rolling baseline in Redis, with alerts and rollbacks (see {@link RegressionDetector}).
 *
 * <p>Bus: {@code mangaassist.bench.run} (run options, see {@link ReplayOptions#fromJson}, over the configured
 * {@code replay} defaults → run summary; fails with 409 while a run is going), publishes
 * {@code mangaassist.bench.result} (the run summary with verdicts) after every run. HTTP on {@code benchmark.port}
 * (8082): {@code /health}, {@code /ready} (Redis reachable), {@code /metrics} (Prometheus), {@code /report} (the
 * latest run's HTML report).
 *
 * <p>Configuration: {@code benchmark} of the combined document ({@code conf/benchmark.json}): {@code port},
 * {@code host}, {@code schedule} ({@code enabled}, {@code everyMinutes} 15, {@code firstAfterSeconds} 60),
 * {@code replay} (default run options, {@code url} the orchestrator's {@code /ws}), {@code baseline}
 * ({@code windowDays} 7, {@code maxSamples} 2000), {@code productionSampling} ({@code fraction} 0.05 of
 * model-answered {@code mangaassist.turn.completed} turns into the production baseline), {@code alerts} ({@code webhookUrl}, {@code routingKey}),
 * {@code regression} (as {@code bench compare}); {@code redis} as every role. Shoppers sign in with tokens signed by
 * {@code orchestrator.auth.jwtSecret} ({@code JWT_SECRET}) when it is set, otherwise with dev tokens.
 */
public final class BenchmarkVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkVerticle.class);
  static final int BUSY = 409;

  private JsonObject conf;
  private RedisAPI redis;
  private BaselineStore baseline;
  private ProductionSampler sampler;
  private RegressionDetector detector;
  private RegressionMetrics metrics;
  private MeterRegistry registry;
  private Catalog catalog;
  /** Null: dev tokens. */
  private SignedTokens tokens;
  private HttpServer server;
  private boolean running;
  private String latestReport;
  private long scheduleTimer = -1;

  @Override
  public Future<?> start() {
    conf = config().getJsonObject("benchmark", new JsonObject());
    redis = RedisAPI.api(RedisClients.create(vertx, config().getJsonObject("redis", new JsonObject())));
    baseline = new BaselineStore(redis, conf.getJsonObject("baseline", new JsonObject()));
    sampler = new ProductionSampler(baseline, conf.getJsonObject("productionSampling", new JsonObject()));
    registry = PrometheusScrape.registry();
    // outside dev mode the orchestrator has no dev tokens; sharing its JWT_SECRET lets the benchmark sign its own
    JsonObject auth = config().getJsonObject("orchestrator", new JsonObject()).getJsonObject("auth", new JsonObject());
    String secret = auth.getString("jwtSecret");
    tokens = secret == null || secret.isBlank() ? null
        : new SignedTokens(secret, auth.getString("issuer", "mangaassist"), 3600);
    metrics = new RegressionMetrics(registry);
    RegressionSettings settings = RegressionSettings.fromJson(conf.getJsonObject("regression", new JsonObject()));
    detector = new RegressionDetector(vertx, baseline, settings,
        new RegressionActions(vertx, conf.getJsonObject("alerts", new JsonObject()), metrics));
    Path catalogFile = ConfigFiles.confDir().resolve("catalog/catalog.json");
    Future<Void> catalogLoaded = vertx.executeBlocking(() -> Catalog.read(catalogFile)).map(read -> {
      catalog = read;
      return null;
    });
    Future<Void> runRequests = vertx.eventBus().<JsonObject>consumer(Addresses.BENCH_RUN, this::runRequested)
        .completion();
    Future<Void> turns = sampler.enabled()
        ? vertx.eventBus().<JsonObject>consumer(Addresses.TURN_COMPLETED, turn -> sampler.offer(turn.body())).completion()
        : Future.succeededFuture();
    Future<HttpServer> listening = vertx.createHttpServer().requestHandler(this::http)
        .listen(conf.getInteger("port", 8082), conf.getString("host", "0.0.0.0"))
        .onSuccess(listened -> server = listened);
    return Future.join(catalogLoaded, runRequests, turns, listening).onSuccess(started -> schedule());
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void schedule() {
    JsonObject schedule = conf.getJsonObject("schedule", new JsonObject());
    if (!schedule.getBoolean("enabled", true)) {
      LOG.info("benchmark schedule off; runs on request ({})", Addresses.BENCH_RUN);
      return;
    }
    long everyMs = (long) (schedule.getDouble("everyMinutes", 15.0) * 60_000);
    long firstMs = Math.max(1, (long) (schedule.getDouble("firstAfterSeconds", 60.0) * 1000));
    LOG.info("benchmark runs every {} s, the first in {} s", everyMs / 1000, firstMs / 1000);
    scheduleTimer = vertx.setTimer(firstMs, first -> {
      scheduledRun();
      scheduleTimer = vertx.setPeriodic(everyMs, every -> scheduledRun());
    });
  }

  private void scheduledRun() {
    if (running) {
      LOG.warn("scheduled benchmark skipped: the previous run is still going");
      return;
    }
    runOnce(new JsonObject()).onFailure(e -> LOG.warn("scheduled benchmark failed: {}", e.getMessage()));
  }

  private void runRequested(Message<JsonObject> request) {
    if (running) {
      request.fail(BUSY, "a benchmark run is in progress");
      return;
    }
    runOnce(request.body() == null ? new JsonObject() : request.body())
        .onSuccess(request::reply)
        .onFailure(e -> request.fail(500, String.valueOf(e.getMessage())));
  }

  /** One replay, judged, published; {@code overrides} are run options over the configured {@code replay} ones. */
  private Future<JsonObject> runOnce(JsonObject overrides) {
    ReplayOptions options;
    try {
      JsonObject replay = conf.getJsonObject("replay", new JsonObject()).copy().mergeIn(overrides);
      options = ReplayOptions.fromJson(replay, "ws://127.0.0.1:8080/ws");
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(e);
    }
    running = true;
    Path templates = ConfigFiles.confDir().resolve("bench/synthetic.json");
    return vertx.executeBlocking(() -> SyntheticQueries.load(templates, catalog, options.seed()))
        .compose(questions -> new SyntheticReplay(vertx, questions, options, tokens, progress -> {}).run())
        .compose(detector::judge)
        .map(this::published)
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private JsonObject published(RunVerdict verdict) {
    metrics.runJudged();
    JsonObject summary = verdict.toJson();
    latestReport = HtmlReport.render(verdict.run(), verdict);
    LOG.info("benchmark run {}: {} ({} verdicts, {} alerts, {} rollbacks)", verdict.run().runId(),
        verdict.worstSeverity().label(), verdict.decisions().size(), verdict.alerts().size(),
        verdict.rollbacks().size());
    vertx.eventBus().publish(Addresses.BENCH_RESULT, summary);
    return summary;
  }

  private void http(HttpServerRequest request) {
    switch (request.path()) {
      case "/health" -> request.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", "UP").encode());
      case "/ready" -> redis.ping(List.of()).map(pong -> "UP").otherwise("DOWN")
          .onSuccess(redisState -> request.response().putHeader("content-type", "application/json")
              .end(new JsonObject().put("status", "UP").put("redis", redisState)
                  .put("cluster", ClusterStatus.of(vertx)).put("running", running).encode()));
      case "/metrics" -> PrometheusScrape.respond(request.response(), registry);
      case "/report" -> {
        if (latestReport == null) {
          request.response().setStatusCode(404).end("no benchmark run yet");
        } else {
          request.response().putHeader("content-type", "text/html; charset=utf-8").end(latestReport);
        }
      }
      default -> request.response().setStatusCode(404).end();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(scheduleTimer);
    return Future.succeededFuture();
  }
}
