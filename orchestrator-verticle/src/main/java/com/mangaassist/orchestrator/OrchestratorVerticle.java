package com.mangaassist.orchestrator;

import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.ClusterStatus;
import com.mangaassist.catalog.CatalogStore;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.intent.LabeledExample;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.intent.LogisticIntentClassifier;
import com.mangaassist.embed.EmbeddingMemo;
import com.mangaassist.metrics.PrometheusScrape;
import com.mangaassist.metrics.StreamingMetrics;
import com.mangaassist.model.BedrockModelClient;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.ModelKeepAlive;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.retrieval.CatalogSearch;
import com.mangaassist.retrieval.CatalogSearches;
import com.mangaassist.store.PrecomputeMatcher;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.ProfileStore;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SemanticCache;
import com.mangaassist.store.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.redis.client.Redis;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat front door: protocol v1 over {@code /ws} (raw WebSocket on a route) and {@code /sockjs}, plus
 * {@code /health}, {@code /ready}, {@code /metrics}, dev tokens, cover images, the chat page and the event-bus bridge
 * for internal tools ({@code /eventbus}, {@link EventBusBridge}).
 *
 * <p>Configuration: the combined document of {@link ConfigFiles#load()} (keys {@code orchestrator}, {@code model},
 * {@code routing}, {@code redis}, {@code cache}, {@code retrieval}).
 */
public final class OrchestratorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorVerticle.class);
  private static final int TRANSPORT_IDLE_MARGIN_SECONDS = 30;

  private ModelClient model;
  private PromptLibrary prompts;
  private RoutingTable routing;
  private CatalogStore catalogStore;
  private CatalogSearch search;
  private Redis redis;
  private Redis cacheRedis;
  private SessionStore sessions;
  private TurnServices services;
  private Authenticator authenticator;
  private ConnectionLimits limits;
  private MeterRegistry registry;
  private HttpServer server;
  private final SessionRegistry sessionsHere = new SessionRegistry();
  private final OpenConnections open = new OpenConnections();

  @Override
  public Future<?> start() {
    JsonObject orchestrator = config().getJsonObject("orchestrator", new JsonObject());
    boolean devMode = orchestrator.getBoolean("devMode", false);
    Future<Authenticator> authReady = Authenticator.create(vertx, orchestrator.getJsonObject("auth", new JsonObject()),
        devMode).onSuccess(a -> authenticator = a);
    limits = ConnectionLimits.from(orchestrator);
    registry = PrometheusScrape.registry();
    ConnectionGauges.register(registry, open, sessionsHere);
    JsonObject redisConfig = config().getJsonObject("redis", new JsonObject());
    redis = RedisClients.create(vertx, redisConfig);
    sessions = new SessionStore(redis, redisConfig);
    // the semantic cache may live in a Redis of its own (cache.url), sized and evicted separately from sessions
    JsonObject cacheConfig = config().getJsonObject("cache", new JsonObject());
    JsonObject precomputeConfig = config().getJsonObject("precompute", new JsonObject());
    cacheRedis = cacheConfig.getString("url") == null ? redis
        : RedisClients.create(vertx, redisConfig.copy().put("url", cacheConfig.getString("url")));
    routing = new RoutingTable(config().getJsonObject("routing", new JsonObject()));
    JsonObject modelConfig = config().getJsonObject("model", new JsonObject());
    // building the SDK client loads hundreds of classes: a second or more, so not on the event loop
    Future<ModelClient> modelReady = vertx.<ModelClient>executeBlocking(() -> new BedrockModelClient(vertx, modelConfig))
        .onSuccess(client -> model = client);
    // warm connection and warm model before the first shopper arrives, then periodically (conf/model.json keepAlive)
    Future<String> keepAlive = modelReady.compose(client ->
        vertx.deployVerticle(new ModelKeepAlive(client), new DeploymentOptions().setConfig(modelConfig)));

    Future<PromptLibrary> promptsLoaded = loadPrompts(orchestrator.getJsonObject("prompts", new JsonObject()));
    Future<CatalogStore> catalogLoaded = CatalogStore.load(vertx,
        ConfigFiles.home().resolve(orchestrator.getString("catalog", "conf/catalog/catalog.json")),
        orchestrator.getLong("catalogReloadIntervalMs", 2000L)).onSuccess(store -> catalogStore = store);
    Future<MiniLmEmbedder> embedderLoaded = MiniLmEmbedder.load(vertx);
    // the intent classifiers learn from the labeled examples, their titles masked as questions are at run time;
    // reading and training are blocking work (the full one embeds every example: a few seconds), so on a worker
    Future<List<LabeledExample>> examplesRead = vertx.executeBlocking(() ->
        LabeledExample.read(intentExamples(orchestrator.getJsonObject("intents", new JsonObject()))));
    Future<UnaryOperator<String>> maskingReady =
        catalogLoaded.map(store -> masking(new EntityResolver(store.current())));
    Future<LogisticIntentClassifier> classifierTrained = Future.all(embedderLoaded, examplesRead, maskingReady)
        .compose(v -> vertx.executeBlocking(() -> LogisticIntentClassifier.train(examplesRead.result(),
            embedderLoaded.result(), maskingReady.result())));
    // words only (EarlyStart): no embedding, a fraction of a second
    Future<LogisticIntentClassifier> wordsTrained = Future.all(examplesRead, maskingReady)
        .compose(v -> vertx.executeBlocking(() ->
            LogisticIntentClassifier.trainOnWords(examplesRead.result(), maskingReady.result())));
    // OpenSearch when retrieval.opensearch.url (OPENSEARCH_URL) is set, else the embedded Lucene index; an OpenSearch
    // client starts I/O threads and loads many classes as it is built, so not on the event loop
    JsonObject retrievalConfig = config().getJsonObject("retrieval", new JsonObject());
    Future<CatalogSearch> searchReady = Future.all(embedderLoaded, catalogLoaded)
        .compose(v -> vertx.executeBlocking(() ->
            CatalogSearches.create(vertx, embedderLoaded.result(), retrievalConfig)))
        .compose(created -> {
          search = created;
          return created.open(catalogLoaded.result().current()).map(ok -> created);
        });

    Future<?> loaded = Future.all(promptsLoaded, classifierTrained, wordsTrained, searchReady, modelReady);
    Future<Void> servicesReady = loaded.map(v -> {
      CatalogKnowledge knowledge = new CatalogKnowledge(catalogStore.current());
      catalogStore.onUpdate(catalog -> {
        knowledge.update(catalog);
        search.index(catalog).onFailure(e -> LOG.warn("re-index after catalog update failed: {}", e.getMessage()));
      });
      services = new TurnServices(vertx, model,
          new ModelBreakers(vertx, modelConfig.getJsonObject("circuitBreaker", new JsonObject())),
          modelConfig.getString("fallbackModel", "haiku"),
          modelConfig.getJsonObject("models", new JsonObject()),
          prompts,
          routing,
          embedderLoaded.result(),
          new EmbeddingMemo(orchestrator.getInteger("embeddingMemoEntries", 10_000)),
          classifierTrained.result(),
          EarlyStart.from(orchestrator.getJsonObject("earlyStart", new JsonObject()), wordsTrained.result()),
          knowledge,
          search,
          new SemanticCache(cacheRedis, cacheConfig),
          new PrecomputeStore(redis, precomputeConfig.getJsonObject("store", new JsonObject())),
          precomputeConfig.getDouble("serveThreshold", PrecomputeMatcher.DEFAULT_THRESHOLD),
          sessionsHere,
          sessions,
          new ProfileStore(redis, redisConfig),
          new StreamingMetrics(registry),
          StreamingOptions.from(orchestrator.getJsonObject("streaming", new JsonObject())),
          FanOutOptions.from(orchestrator.getJsonObject("fanout", new JsonObject())),
          PipelineSwitches.from(config()),
          orchestrator.getString("cardImagePattern", "/covers/{titleId}/{volume}.svg"));
      return null;
    });
    Future<Void> rollbacks = vertx.eventBus().<JsonObject>consumer(Addresses.OPS_ROLLBACK, this::rollback).completion();
    Future<Void> suggestions = vertx.eventBus().<JsonObject>consumer(Addresses.PRECOMPUTE_READY, this::pushSuggestions)
        .completion();
    // the socket opens (and /ready answers) only once this node's consumers are registered across the cluster
    Future<HttpServer> listening = Future.all(servicesReady, authReady, rollbacks, suggestions).compose(v -> vertx
        .createHttpServer(serverOptions(orchestrator))
        .requestHandler(router(devMode))
        .listen(orchestrator.getInteger("port", 8080), orchestrator.getString("host", "0.0.0.0")))
        .onSuccess(s -> {
          server = s;
          LOG.info("orchestrator listening on port {}", s.actualPort());
        });
    return Future.join(keepAlive, rollbacks, suggestions, servicesReady, listening);
  }

  /**
   * Undeploy, {@code vertx.close()} or SIGTERM: first a graceful shutdown of the chat ({@code shutdownGraceMs} for the
   * answers in flight), then the stores and clients it used.
   */
  @Override
  public Future<?> stop() {
    JsonObject orchestrator = config().getJsonObject("orchestrator", new JsonObject());
    long redisDeadlineMs = config().getJsonObject("redis", new JsonObject()).getLong("timeoutMs", 200L);
    return new GracefulShutdown(vertx, open, orchestrator.getLong("shutdownGraceMs", 10_000L)).run()
        // the last answers' history, last title and cache writes are under way: let them land within their deadline
        .compose(v -> vertx.timer(redisDeadlineMs))
        .compose(v -> closeClients());
  }

  private Future<Void> closeClients() {
    if (prompts != null) {
      prompts.close();
    }
    if (catalogStore != null) {
      catalogStore.close();
    }
    if (search != null) {
      search.close();
    }
    if (model != null) {
      model.close();
    }
    if (cacheRedis != null && cacheRedis != redis) {
      cacheRedis.close();
    }
    return redis == null ? Future.succeededFuture() : redis.close();
  }

  /** The port actually bound (useful when configured with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private Future<PromptLibrary> loadPrompts(JsonObject promptConfig) {
    Path promptDir = ConfigFiles.home().resolve(promptConfig.getString("dir", "conf/prompts"));
    return PromptLibrary.load(vertx, promptDir, promptConfig.getLong("reloadIntervalMs", 2000L))
        .onSuccess(library -> prompts = library);
  }

  private static Path intentExamples(JsonObject intentConfig) {
    return ConfigFiles.home().resolve(intentConfig.getString("examples", "conf/intents/examples.jsonl"));
  }

  private static UnaryOperator<String> masking(EntityResolver resolver) {
    return text -> PrecomputeMatcher.matchText(resolver.maskTitles(text));
  }

  /**
   * {@code mangaassist.precompute.ready}: published to every node; the one holding the session's socket pushes the
   * predicted follow-ups as a {@code suggestions} frame, the others ignore it.
   */
  private void pushSuggestions(Message<JsonObject> message) {
    JsonObject body = message.body();
    ClientConnection connection = sessionsHere.connection(body.getString("sessionId", ""));
    JsonArray items = body.getJsonArray("suggestions");
    if (connection != null && items != null && !items.isEmpty()) {
      connection.suggest(body.getString("queryId"), items);
    }
  }

  /** {@code mangaassist.ops.rollback}: {@code target} routing or prompt, {@code toVersion}, {@code reason}. */
  private void rollback(Message<JsonObject> message) {
    JsonObject body = message.body();
    String target = body.getString("target");
    Object toVersion = body.getValue("toVersion");
    LOG.warn("rollback of {} to version {} requested: {}", target, toVersion, body.getString("reason"));
    if ("routing".equals(target) && toVersion != null) {
      if (!routing.activate(Integer.parseInt(toVersion.toString()))) {
        LOG.warn("routing version {} does not exist; keeping {}", toVersion, routing.version());
      }
    } else if ("prompt".equals(target) && toVersion != null && prompts != null) {
      prompts.activate(toVersion.toString())
          .onFailure(e -> LOG.warn("prompt rollback to {} failed: {}", toVersion, e.getMessage()));
    }
  }

  private HttpServerOptions serverOptions(JsonObject orchestrator) {
    int maxFrame = limits.maxFrameBytes();
    return new HttpServerOptions()
        // accept somewhat more than the protocol limit so an oversized frame gets a typed error, not a dropped socket
        .setMaxWebSocketMessageSize(maxFrame * 4)
        .setMaxWebSocketFrameSize(65_536)
        // per-message deflate costs CPU on every tiny chunk frame; latency matters more than bytes here
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // chat sockets time out in ClientConnection (pings count, a close frame goes out); the transport's own timeout
        // is a backstop for plain HTTP connections and must not cut a chat socket first
        .setIdleTimeout((int) (limits.idleTimeoutMs() / 1_000) + TRANSPORT_IDLE_MARGIN_SECONDS);
  }

  private Router router(boolean devMode) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> PrometheusScrape.respond(ctx.response(), registry));
    if (devMode) {
      router.get("/auth/dev-token").handler(this::devToken);
    }
    router.get("/covers/:titleId/:volume").handler(new CoverImages(services.knowledge())::handle);
    JsonObject orchestrator = config().getJsonObject("orchestrator", new JsonObject());
    OriginPolicy origins = new OriginPolicy(orchestrator.getJsonArray("allowedOrigins"));
    router.get("/ws").handler(origins::check).handler(this::refuseWhileShuttingDown).handler(this::upgradeWebSocket);
    router.route("/sockjs/*").handler(origins::check);
    SockJSHandler sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions()
        .setHeartbeatInterval(25_000)
        .setRegisterWriteHandler(false));
    // SockJS's HTTP fallbacks (xhr_send, xhr_streaming...) read POST bodies: the chat page's XHR transport needs them
    router.post("/sockjs/*").handler(BodyHandler.create(false).setBodyLimit(limits.maxFrameBytes() * 4L));
    router.route("/sockjs/*").subRouter(sockJs.socketHandler(socket ->
        new ClientConnection(new SockJsChannel(socket, services.streaming().writeQueueMaxBytes()), services,
            authenticator, limits, open).start()));
    new EventBusBridge(vertx, EventBusBridge.Settings.from(orchestrator)).mount(router, origins);
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(true));
    return router;
  }

  private void upgradeWebSocket(RoutingContext ctx) {
    ctx.request().toWebSocket()
        .onSuccess(ws -> new ClientConnection(new WebSocketChannel(ws, services.streaming().writeQueueMaxBytes()),
            services, authenticator, limits, open).start())
        .onFailure(e -> {
          LOG.debug("WebSocket upgrade failed: {}", e.toString());
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(400).end("WebSocket upgrade required");
          }
        });
  }

  /** While shutting down, a new socket is refused before its upgrade: 503, so the client tries another node. */
  private void refuseWhileShuttingDown(RoutingContext ctx) {
    if (open.accepting()) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(503).putHeader("Retry-After", "1").end("shutting down");
    }
  }

  private void devToken(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    if (user == null || user.isBlank() || user.length() > 64) {
      ctx.response().setStatusCode(400).end("user parameter required (1..64 characters)");
      return;
    }
    ctx.json(new JsonObject().put("token", authenticator.devToken(user)));
  }

  /**
   * Ready while the chat can answer; Redis or the cluster being down degrades the answer, it does not make the node
   * unready. A node
   * shutting down is not ready (503), so a load balancer stops sending shoppers to it.
   */
  private void ready(RoutingContext ctx) {
    if (!open.accepting()) {
      ctx.response().setStatusCode(503).putHeader("content-type", "application/json")
          .end(new JsonObject().put("status", "DRAINING").encode());
      return;
    }
    JsonObject cluster = ClusterStatus.of(vertx);
    sessions.ping()
        .otherwise(false)
        .onSuccess(redisUp -> ctx.json(new JsonObject()
            .put("status", "UP")
            .put("redis", redisUp ? "UP" : "DOWN")
            // without the cluster, answers still stream; only follow-ups and benchmark events are missing
            .put("cluster", cluster)
            .put("degraded", !redisUp || !ClusterStatus.isUp(cluster))
            .put("retrieval", search.backend())
            .put("catalogVersion", services.knowledge().snapshot().catalog().version())
            .put("promptVersion", prompts.version())
            .put("routingVersion", routing.version())));
  }
}

