package com.mangaassist.orchestrator;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.intent.KeywordIntentClassifier;
import com.mangaassist.metrics.StreamingMetrics;
import com.mangaassist.model.BedrockModelClient;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.ModelKeepAlive;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat front door: protocol v1 over {@code /ws} (raw WebSocket on a route) and {@code /sockjs}, plus
 * {@code /health}, {@code /ready}, {@code /metrics}, dev tokens and the chat page.
 *
 * <p>Configuration: the combined document of {@link ConfigFiles#load()} (keys {@code orchestrator}, {@code model},
 * {@code routing}, {@code intents}, {@code redis}).
 */
public final class OrchestratorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorVerticle.class);

  private ModelClient model;
  private PromptLibrary prompts;
  private Redis redis;
  private SessionStore sessions;
  private TurnServices services;
  private Authenticator authenticator;
  private ConnectionLimits limits;
  private MeterRegistry registry;
  private HttpServer server;

  @Override
  public Future<?> start() {
    JsonObject orchestrator = config().getJsonObject("orchestrator", new JsonObject());
    boolean devMode = orchestrator.getBoolean("devMode", false);
    authenticator = Authenticator.create(vertx, orchestrator.getJsonObject("auth", new JsonObject()), devMode);
    limits = ConnectionLimits.from(orchestrator.getJsonObject("limits", new JsonObject()));
    registry = meterRegistry();
    JsonObject redisConfig = config().getJsonObject("redis", new JsonObject());
    redis = RedisClients.create(vertx, redisConfig);
    sessions = new SessionStore(redis, redisConfig);
    JsonObject modelConfig = config().getJsonObject("model", new JsonObject());
    model = new BedrockModelClient(vertx, modelConfig);
    // warm connection and warm model before the first shopper arrives, then periodically (conf/model.json keepAlive)
    Future<String> keepAlive = vertx.deployVerticle(new ModelKeepAlive(model), new DeploymentOptions().setConfig(modelConfig));

    JsonObject promptConfig = orchestrator.getJsonObject("prompts", new JsonObject());
    Path promptDir = ConfigFiles.home().resolve(promptConfig.getString("dir", "conf/prompts"));
    Future<PromptLibrary> promptsLoaded = PromptLibrary.load(vertx, promptDir, promptConfig.getLong("reloadIntervalMs", 2000L))
        .onSuccess(library -> {
          prompts = library;
          services = new TurnServices(vertx, model,
              modelConfig.getJsonObject("models", new JsonObject()),
              library,
              new RoutingTable(config().getJsonObject("routing", new JsonObject())),
              new KeywordIntentClassifier(config().getJsonObject("intents", new JsonObject())),
              sessions,
              new StreamingMetrics(registry),
              StreamingOptions.from(orchestrator.getJsonObject("streaming", new JsonObject())),
              redisConfig.getLong("historyDeadlineMs", 50L));
        });
    Future<HttpServer> listening = promptsLoaded.compose(library -> vertx
        .createHttpServer(serverOptions(orchestrator))
        .requestHandler(router(devMode))
        .listen(orchestrator.getInteger("port", 8080), orchestrator.getString("host", "0.0.0.0")))
        .onSuccess(s -> {
          server = s;
          LOG.info("orchestrator listening on port {}", s.actualPort());
        });
    return Future.join(promptsLoaded, keepAlive, listening);
  }

  @Override
  public Future<?> stop() {
    if (prompts != null) {
      prompts.close();
    }
    if (model != null) {
      model.close();
    }
    return redis == null ? Future.succeededFuture() : redis.close();
  }

  /** The port actually bound (useful when configured with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private HttpServerOptions serverOptions(JsonObject orchestrator) {
    int maxFrame = ConnectionLimits.from(orchestrator.getJsonObject("limits", new JsonObject())).maxFrameBytes();
    return new HttpServerOptions()
        // accept somewhat more than the protocol limit so an oversized frame gets a typed error, not a dropped socket
        .setMaxWebSocketMessageSize(maxFrame * 4)
        .setMaxWebSocketFrameSize(65_536)
        // per-message deflate costs CPU on every tiny chunk frame; latency matters more than bytes here
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setIdleTimeout(orchestrator.getInteger("idleTimeoutSeconds", 600));
  }

  private Router router(boolean devMode) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(this::metrics);
    if (devMode) {
      router.get("/auth/dev-token").handler(this::devToken);
    }
    router.get("/ws").handler(this::upgradeWebSocket);
    SockJSHandler sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions()
        .setHeartbeatInterval(25_000)
        .setRegisterWriteHandler(false));
    router.route("/sockjs/*").subRouter(sockJs.socketHandler(socket ->
        new ClientConnection(new SockJsChannel(socket, services.streaming().writeQueueMaxBytes()), services,
            authenticator, limits).start()));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true));
    return router;
  }

  private void upgradeWebSocket(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(ws -> new ClientConnection(new WebSocketChannel(ws, services.streaming().writeQueueMaxBytes()),
            services, authenticator, limits).start())
        .onFailure(e -> {
          LOG.debug("WebSocket upgrade failed: {}", e.toString());
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(400).end("WebSocket upgrade required");
          }
        });
  }

  private void devToken(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    if (user == null || user.isBlank() || user.length() > 64) {
      ctx.response().setStatusCode(400).end("user parameter required (1..64 characters)");
      return;
    }
    ctx.json(new JsonObject().put("token", authenticator.devToken(user)));
  }

  /** Ready while the chat can answer; Redis being down degrades the answer, it does not make the node unready. */
  private void ready(RoutingContext ctx) {
    sessions.ping()
        .otherwise(false)
        .onSuccess(redisUp -> ctx.json(new JsonObject()
            .put("status", "UP")
            .put("redis", redisUp ? "UP" : "DOWN")
            .put("degraded", !redisUp)
            .put("promptVersion", prompts.version())));
  }

  private void metrics(RoutingContext ctx) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape());
    } else {
      ctx.response().setStatusCode(503).end("no Prometheus registry");
    }
  }

  /** The Vert.x metrics registry when the launcher enabled Micrometer, otherwise one of this verticle's own. */
  private static MeterRegistry meterRegistry() {
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    return shared != null ? shared : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
