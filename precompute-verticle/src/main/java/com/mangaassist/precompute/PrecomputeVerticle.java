package com.mangaassist.precompute;

import com.mangaassist.bus.Addresses;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.model.BedrockModelClient;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.ModelCompletion;
import com.mangaassist.model.ModelFailure;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.model.ModelStream;
import com.mangaassist.model.ModelStreamListener;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.precompute.TransitionModel.Prediction;
import com.mangaassist.store.CacheScope;
import com.mangaassist.store.PrecomputeMatcher;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.PrecomputedAnswer;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SemanticCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predicts what a shopper will ask next and answers it before they ask (issue 4).
 *
 * <p>On {@code mangaassist.turn.completed}: count the intent transition, take the top-k next intents above the
 * probability floor that have a question template, and for each build the question about the turn's first title,
 * embed it (worker), answer it (data intents from the live catalog, prose intents on Haiku within the background
 * budget), store it in the session's precompute keys and publish {@code mangaassist.precompute.ready} with the
 * suggestions. On {@code mangaassist.catalog.updated}: re-read the catalog and drop answers about changed titles.
 *
 * <p>Configuration: the combined document of {@link ConfigFiles#load()}: {@code precompute} (conf/precompute.json),
 * {@code model} (its {@code precompute.generation.client} block is merged over it for a background client of its
 * own: no retries, a small connection budget), {@code redis}, {@code cache} (conf/cache.json).
 *
 * <p>Trending ({@code precompute.trending}, off unless enabled): every completed non-personal turn is counted in
 * {@link TrendingTracker}; every {@code warmEverySeconds} the top {@code topN} questions asked at least
 * {@code minWarmCount} times (decayed) whose intent the cache may hold get an answer in the semantic cache, in the
 * scope the orchestrator computes for them (intent, titles, volumes, prompt and catalog version, no user), generated
 * on Haiku within the background budget when the cache has none.
 */
public final class PrecomputeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PrecomputeVerticle.class);

  private JsonObject conf;
  private Redis redis;
  private RedisAPI redisApi;
  private PrecomputeStore store;
  private TransitionModel transitions;
  private BackgroundBudget budget;
  private PrecomputeMetrics metrics;
  private ModelClient model;
  private MiniLmEmbedder embedder;
  private PromptLibrary prompts;
  private volatile Catalog catalog;
  private EntityResolver resolver;
  private Map<String, String> lastIntent;
  private final Set<ModelStream> running = new HashSet<>();
  private long refreshTimer = -1;
  private TrendingTracker trending;
  private SemanticCache cache;
  private Set<String> uncacheable = Set.of();
  private long warmTimer = -1;
  private boolean warming;
  private int warmRound;

  @Override
  public Future<?> start() {
    conf = config().getJsonObject("precompute", new JsonObject());
    JsonObject redisConfig = config().getJsonObject("redis", new JsonObject());
    redis = RedisClients.create(vertx, redisConfig);
    redisApi = RedisAPI.api(redis);
    store = new PrecomputeStore(redis, conf.getJsonObject("store", new JsonObject()));
    transitions = TransitionModel.from(conf);
    int maxSessions = conf.getInteger("maxTrackedSessions", 100_000);
    budget = new BackgroundBudget(conf.getJsonObject("budgets", new JsonObject()), maxSessions);
    metrics = new PrecomputeMetrics(meterRegistry());
    lastIntent = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > maxSessions;
      }
    };
    JsonObject generation = conf.getJsonObject("generation", new JsonObject());
    JsonObject modelConfig = config().getJsonObject("model", new JsonObject()).copy()
        .mergeIn(generation.getJsonObject("client", new JsonObject()), true);
    // building the SDK client loads hundreds of classes: a second or more, so not on the event loop
    Future<Void> modelReady = vertx.executeBlocking(() -> new BedrockModelClient(vertx, modelConfig)).map(client -> {
      model = client;
      return null;
    });
    JsonObject trendingConf = conf.getJsonObject("trending", new JsonObject());
    if (trendingConf.getBoolean("enabled", false)) {
      JsonObject cacheConfig = config().getJsonObject("cache", new JsonObject());
      Redis cacheRedis = cacheConfig.getString("url") == null ? redis
          : RedisClients.create(vertx, redisConfig.copy().put("url", cacheConfig.getString("url")));
      cache = new SemanticCache(cacheRedis, cacheConfig);
      Set<String> personal = strings(cacheConfig.getJsonArray("personalIntents", new JsonArray()));
      Set<String> notCached = new HashSet<>(personal);
      notCached.addAll(strings(cacheConfig.getJsonArray("uncacheableIntents", new JsonArray())));
      uncacheable = Set.copyOf(notCached);
      trending = new TrendingTracker(redisApi, trendingConf, personal,
          Math.max(200L, conf.getJsonObject("store", new JsonObject()).getLong("timeoutMs", 30L)));
    }

    Path catalogFile = ConfigFiles.home().resolve(conf.getString("catalog", "conf/catalog/catalog.json"));
    Future<Void> catalogLoaded = vertx.executeBlocking(() -> Catalog.read(catalogFile)).map(c -> {
      useCatalog(c);
      return null;
    });
    Future<Void> embedderLoaded = MiniLmEmbedder.load(vertx).map(e -> {
      embedder = e;
      return null;
    });
    Future<Void> promptsLoaded = PromptLibrary.load(vertx,
        ConfigFiles.home().resolve(conf.getString("prompts", "conf/prompts")), 0L).map(p -> {
          prompts = p;
          return null;
        });
    long timeoutMs = conf.getJsonObject("store", new JsonObject()).getLong("timeoutMs", 30L);
    // counts from earlier runs and other instances; without Redis the priors alone still predict
    Future<Void> countsLoaded = transitions.refresh(redisApi, Math.max(timeoutMs, 500L))
        .recover(e -> {
          LOG.warn("transition counts not loaded ({}); starting from the priors", e.getMessage());
          return Future.succeededFuture();
        });
    refreshTimer = vertx.setPeriodic(conf.getLong("transitionsRefreshMs", 10_000L), id ->
        transitions.refresh(redisApi, timeoutMs).onFailure(e -> LOG.debug("transition refresh: {}", e.getMessage())));
    Future<Void> ready = Future.all(catalogLoaded, embedderLoaded, promptsLoaded, countsLoaded, modelReady).mapEmpty();
    Future<Void> turns = ready.compose(v ->
        vertx.eventBus().<JsonObject>consumer(Addresses.TURN_COMPLETED, this::onTurnCompleted).completion());
    Future<Void> catalogUpdates = ready.compose(v ->
        vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_UPDATED, this::onCatalogUpdated).completion());
    if (trending != null) {
      long everyMs = Math.max(1, trendingConf.getLong("warmEverySeconds", 60L)) * 1000L;
      ready.onSuccess(v -> warmTimer = vertx.setPeriodic(everyMs, id -> warmTrending()));
    }
    return Future.join(ready, turns, catalogUpdates);
  }

  @Override
  public Future<?> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    if (warmTimer >= 0) {
      vertx.cancelTimer(warmTimer);
    }
    new ArrayList<>(running).forEach(ModelStream::cancel);
    if (prompts != null) {
      prompts.close();
    }
    if (model != null) {
      model.close();
    }
    return redis == null ? Future.succeededFuture() : redis.close();
  }

  /** For tests and the launcher: metrics and the store of this instance. */
  PrecomputeMetrics metrics() {
    return metrics;
  }

  private void useCatalog(Catalog fresh) {
    catalog = fresh;
    resolver = new EntityResolver(fresh);
  }

  private void onTurnCompleted(Message<JsonObject> message) {
    JsonObject turn = message.body();
    String sessionId = turn.getString("sessionId");
    String intent = turn.getString("intent");
    if (sessionId == null || intent == null) {
      return;
    }
    long timeoutMs = conf.getJsonObject("store", new JsonObject()).getLong("timeoutMs", 30L);
    if (trending != null) {
      trending.record(turn.getString("text"), intent, strings(turn.getJsonArray("entities", new JsonArray())).stream()
              .toList(), volumes(turn.getJsonArray("volumes", new JsonArray())), System.currentTimeMillis())
          .onFailure(e -> LOG.debug("trending not counted: {}", e.getMessage()));
    }
    String previous = lastIntent.put(sessionId, intent);
    if (previous != null) {
      transitions.observe(redisApi, previous, intent, timeoutMs)
          .onFailure(e -> LOG.debug("transition not counted in Redis: {}", e.getMessage()));
    }
    if (!conf.getBoolean("enabled", true)) {
      return;
    }
    JsonArray entities = turn.getJsonArray("entities", new JsonArray());
    CatalogTitle title = entities.isEmpty() ? null : catalog.title(entities.getString(0));
    if (title == null) {
      metrics.skipped("no_title");
      return;
    }
    List<Prediction> predictions = predictions(intent);
    if (predictions.isEmpty()) {
      return;
    }
    predictions.forEach(p -> metrics.predicted(intent, p.intent()));
    String queryId = turn.getString("queryId");
    store.forSession(sessionId)
        .otherwise(e -> List.of())
        .compose(existing -> precompute(sessionId, queryId, title, predictions, existing))
        .onFailure(e -> LOG.warn("precompute for session {} failed: {}", sessionId, e.getMessage()));
  }

  /** Every ready suggestion of the turn so far (cumulative: a client shows the latest list). */
  private void publishReady(String sessionId, String queryId, JsonArray ready) {
    vertx.eventBus().publish(Addresses.PRECOMPUTE_READY, new JsonObject()
        .put("sessionId", sessionId).put("queryId", queryId).put("suggestions", ready.copy()));
  }

  /** The top-k next intents above the floor that this verticle can answer (the trigger's own intent excluded). */
  private List<Prediction> predictions(String intent) {
    JsonObject templates = conf.getJsonObject("templates", new JsonObject());
    double floor = conf.getDouble("probabilityFloor", 0.08);
    return transitions.next(intent).stream()
        .filter(p -> templates.containsKey(p.intent()) && !p.intent().equals(intent) && p.probability() >= floor)
        .limit(conf.getInteger("topK", 4))
        .toList();
  }

  private Future<JsonArray> precompute(String sessionId, String queryId, CatalogTitle title,
      List<Prediction> predictions, List<PrecomputedAnswer> existing) {
    JsonObject templates = conf.getJsonObject("templates");
    Set<String> stored = new HashSet<>();
    existing.forEach(a -> stored.add(a.id()));
    List<String> questions = new ArrayList<>();
    List<String> masked = new ArrayList<>();
    for (Prediction p : predictions) {
      String question = templates.getString(p.intent()).replace("{title}", title.title());
      questions.add(question);
      masked.add(resolver.maskTitles(question));
    }
    List<String> matchTexts = masked.stream().map(PrecomputeMatcher::matchText).toList();
    return vertx.executeBlocking(() -> embedder.embedAll(matchTexts), false).compose(embeddings -> {
      List<Future<JsonObject>> done = new ArrayList<>();
      // published as each answer is stored: catalog answers (milliseconds) need not wait for a Haiku one (seconds)
      JsonArray ready = new JsonArray();
      for (int i = 0; i < predictions.size(); i++) {
        String intent = predictions.get(i).intent();
        String id = PrecomputedAnswer.idFor(intent, List.of(title.titleId()), questions.get(i));
        JsonObject suggestion = new JsonObject().put("text", questions.get(i)).put("intent", intent);
        if (stored.contains(id)) {
          metrics.skipped("exists");
          ready.add(suggestion);
          done.add(Future.succeededFuture(suggestion));
          continue;
        }
        PrecomputedAnswer draft = new PrecomputedAnswer(id, sessionId, queryId, questions.get(i), masked.get(i),
            intent, List.of(title.titleId()), List.of(), embeddings.get(i), null, new JsonArray(), null, 0, 0, 0);
        done.add(answer(draft, title).compose(store::put).map(v -> suggestion)
            .onSuccess(s -> publishReady(sessionId, queryId, ready.add(s))));
      }
      if (!ready.isEmpty()) {
        publishReady(sessionId, queryId, ready);
      }
      return Future.join(done).transform(ar -> {
        JsonArray suggestions = new JsonArray();
        done.stream().filter(Future::succeeded).forEach(f -> suggestions.add(f.result()));
        return Future.succeededFuture(suggestions);
      });
    });
  }

  /** The draft with its answer: from the catalog for data intents, else from the model within the budget. */
  private Future<PrecomputedAnswer> answer(PrecomputedAnswer draft, CatalogTitle title) {
    String text = CatalogAnswers.answer(draft.intent(), title);
    if (text != null) {
      metrics.generated(PrecomputedAnswer.SOURCE_CATALOG, draft.intent());
      JsonArray cards = new JsonArray().add(title.card(null,
          conf.getString("cardImagePattern", "/covers/{titleId}/{volume}.svg")));
      return Future.succeededFuture(with(draft, text, cards, PrecomputedAnswer.SOURCE_CATALOG, 0));
    }
    JsonObject generation = conf.getJsonObject("generation", new JsonObject());
    int maxTokens = generation.getInteger("maxTokens", 300);
    BackgroundBudget.Refusal refusal = budget.tryAcquire(draft.sessionId(), maxTokens, System.currentTimeMillis());
    if (refusal != null) {
      metrics.skipped(refusal.name().toLowerCase());
      return Future.failedFuture("budget: " + refusal);
    }
    List<CatalogTitle> context = new ArrayList<>();
    context.add(title);
    if ("recommendation".equals(draft.intent())) {
      context.addAll(CatalogAnswers.similar(catalog, title, generation.getInteger("similarTitles", 5)));
    }
    ModelRequest request = new ModelRequest(generation.getString("model", "haiku"),
        prompts.systemPrompt(draft.intent()),
        List.of(ChatMessage.user(CatalogAnswers.userMessage(context, draft.question()))),
        maxTokens, generation.getDouble("temperature", 0.3), List.of(), Map.of());
    return generate(draft.sessionId(), request).map(result -> {
      metrics.generated(PrecomputedAnswer.SOURCE_MODEL, draft.intent());
      return with(draft, result.text(), new JsonArray(), PrecomputedAnswer.SOURCE_MODEL, result.tokens());
    });
  }

  private record Generated(String text, int tokens) {}

  /** One background generation on Haiku; releases its budget however it ends; a throttle starts the cool-down. */
  private Future<Generated> generate(String sessionId, ModelRequest request) {
    Promise<Generated> promise = Promise.promise();
    StringBuilder text = new StringBuilder();
    ModelStream[] handle = new ModelStream[1];
    handle[0] = model.stream(request, new ModelStreamListener() {
      @Override
      public void onDelta(String delta) {
        text.append(delta);
      }

      @Override
      public void onComplete(ModelCompletion completion) {
        running.remove(handle[0]);
        // the model's own count when it sent one, else about four characters per token
        int tokens = completion.outputTokens() >= 0 ? completion.outputTokens() : (text.length() + 3) / 4;
        budget.release(sessionId, request.maxTokens(), tokens);
        metrics.tokens(tokens);
        promise.complete(new Generated(text.toString(), tokens));
      }

      @Override
      public void onError(ModelFailure failure) {
        running.remove(handle[0]);
        int tokens = (text.length() + 3) / 4;
        budget.release(sessionId, request.maxTokens(), tokens);
        metrics.tokens(tokens);
        if (failure.kind() == ModelFailure.Kind.THROTTLED) {
          // live traffic first: stop all background generation for the cool-down
          budget.throttled(System.currentTimeMillis());
          metrics.throttled();
          LOG.info("model throttled background generation; cooling down");
        }
        metrics.skipped("model_" + failure.kind().name().toLowerCase());
        promise.fail(failure.kind() + ": " + failure.message());
      }
    });
    if (!promise.future().isComplete()) {
      running.add(handle[0]);
    }
    return promise.future();
  }

  private static PrecomputedAnswer with(PrecomputedAnswer d, String text, JsonArray cards, String source, int tokens) {
    return new PrecomputedAnswer(d.id(), d.sessionId(), d.triggerQueryId(), d.question(), d.maskedQuestion(),
        d.intent(), d.titleIds(), d.volumes(), d.embedding(), text, cards, source, tokens, 0, 0);
  }

  private void onCatalogUpdated(Message<JsonObject> message) {
    List<String> changed = new ArrayList<>();
    message.body().getJsonArray("titleIds", new JsonArray()).forEach(t -> changed.add(String.valueOf(t)));
    Path catalogFile = ConfigFiles.home().resolve(conf.getString("catalog", "conf/catalog/catalog.json"));
    // answers about changed titles go first; the fresh snapshot then serves the next predictions
    store.invalidateTitles(changed)
        .onSuccess(metrics::invalidated)
        .onFailure(e -> LOG.warn("precomputed answers of {} titles not invalidated: {}", changed.size(), e.getMessage()));
    vertx.executeBlocking(() -> Catalog.read(catalogFile))
        .onSuccess(this::useCatalog)
        .onFailure(e -> LOG.warn("catalog re-read failed, keeping version {}: {}", catalog.version(), e.getMessage()));
  }

  /**
   * One warming round: the top trending questions the cache may hold, each looked up in the semantic cache and, when
   * missing, answered on Haiku and stored there. One at a time, within the background budget; a round never overlaps
   * the previous one. Completes with the number of answers stored.
   */
  Future<Integer> warmTrending() {
    if (trending == null || warming) {
      return Future.succeededFuture(0);
    }
    warming = true;
    JsonObject trendingConf = conf.getJsonObject("trending", new JsonObject());
    double minCount = trendingConf.getDouble("minWarmCount", 1.5);
    String round = "trending:" + (++warmRound);
    return trending.top(trendingConf.getInteger("topN", 20), System.currentTimeMillis())
        .compose(top -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (TrendingTracker.Trending question : top) {
            if (question.count() < minCount || uncacheable.contains(question.intent())) {
              continue;
            }
            chain = chain.compose(n -> warm(round, question)
                .map(stored -> n + (stored ? 1 : 0))
                .otherwise(e -> {
                  LOG.debug("trending question not warmed: {}", e.getMessage());
                  return n;
                }));
          }
          return chain;
        })
        .andThen(done -> {
          warming = false;
          if (done.succeeded() && done.result() > 0) {
            LOG.info("warmed {} trending answers into the semantic cache", done.result());
          }
        });
  }

  /** Stores an answer for one trending question unless the cache already holds one (false then). */
  private Future<Boolean> warm(String round, TrendingTracker.Trending question) {
    Catalog current = catalog;
    CacheScope scope = trendingScope(question.intent(), question.titleIds(), question.volumes());
    // embedded as the orchestrator embeds a shopper's question for the semantic tier (CacheScope.EMBEDDED_TEXT)
    String embeddedText = PrecomputeMatcher.matchText(resolver.maskTitles(question.question()));
    return vertx.executeBlocking(() -> embedder.embed(embeddedText), false).compose(embedding ->
        cache.lookup(scope, question.question(), embedding).compose(lookup -> {
          if (lookup.hit()) {
            metrics.skipped("trending_cached");
            return Future.succeededFuture(false);
          }
          JsonObject generation = conf.getJsonObject("generation", new JsonObject());
          int maxTokens = generation.getInteger("maxTokens", 300);
          BackgroundBudget.Refusal refusal = budget.tryAcquire(round, maxTokens, System.currentTimeMillis());
          if (refusal != null) {
            metrics.skipped(refusal.name().toLowerCase());
            return Future.failedFuture("budget: " + refusal);
          }
          List<CatalogTitle> context = new ArrayList<>();
          question.titleIds().stream().map(current::title).filter(java.util.Objects::nonNull).forEach(context::add);
          if ("recommendation".equals(question.intent()) && !context.isEmpty()) {
            context.addAll(CatalogAnswers.similar(current, context.get(0), generation.getInteger("similarTitles", 5)));
          }
          ModelRequest request = new ModelRequest(generation.getString("model", "haiku"),
              prompts.systemPrompt(question.intent()),
              List.of(ChatMessage.user(CatalogAnswers.userMessage(context, question.question()))),
              maxTokens, generation.getDouble("temperature", 0.3), List.of(), Map.of());
          return generate(round, request).compose(result -> {
            metrics.generated("trending", question.intent());
            return cache.store(scope, question.question(), embedding, result.text(),
                new JsonObject().put("model", generation.getString("model", "haiku")).put("source", "trending"));
          });
        }));
  }

  /** The scope the orchestrator computes for a shopper asking this (Turn.scope(): no user for these intents). */
  CacheScope trendingScope(String intent, List<String> titleIds, List<Integer> volumes) {
    return cache.scope(intent, titleIds, volumes, prompts.version(), catalog.version(), null);
  }

  /** For tests: one warming round on this verticle's own context. */
  Future<Integer> warmNow() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> warmTrending().onComplete(promise));
    return promise.future();
  }

  private static Set<String> strings(JsonArray array) {
    Set<String> values = new java.util.LinkedHashSet<>();
    array.forEach(v -> values.add(String.valueOf(v)));
    return values;
  }

  private static List<Integer> volumes(JsonArray array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(((Number) v).intValue()));
    return values;
  }

  private static MeterRegistry meterRegistry() {
    MeterRegistry shared = BackendRegistries.getDefaultNow();
    return shared != null ? shared : new SimpleMeterRegistry();
  }
}
