package com.mangaassist.precompute;

import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.LogKeys;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.EmbeddingMemo;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.metrics.PrometheusScrape;
import com.mangaassist.model.BedrockModelClient;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.ModelCompletion;
import com.mangaassist.model.ModelFailure;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.model.ModelStream;
import com.mangaassist.model.ModelStreamListener;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.store.CacheScope;
import com.mangaassist.store.PrecomputeMatcher;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.PrecomputedAnswer;
import com.mangaassist.store.ProfileStore;
import com.mangaassist.store.QuestionNormalizer;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SemanticCache;
import com.mangaassist.store.ShopperProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Predicts what a shopper will ask next and answers it before they ask (issue 4).
 *
 * <p>On {@code mangaassist.turn.completed}: count the intent transition (and whether the turn was a precompute hit),
 * plan the follow-ups to answer from the predicted next intents ({@link FollowUpPlanner}: every question of the
 * top-k intents, catalog answers of less likely ones too), start their Haiku generations at once (queued by
 * probability, {@link GenerationQueue}), embed the questions (worker), store the catalog answers (and the catalog
 * provisional of a prose question, replaced by the model's answer when it is ready) in the session's precompute keys,
 * and publish {@code mangaassist.precompute.ready} with the suggestions as each is stored. On
 * {@code mangaassist.catalog.updated}: drop answers about changed titles, re-read the catalog and answer again, from
 * the fresh catalog, what the dropped answers covered; re-warm the trending questions about those titles.
 *
 * <p>Segment prefetch ({@code precompute.segments}): a shopper whose profile leans to a genre gets that genre's browse
 * answer (titles of the genre from the catalog, with cards) stored in the session ahead of asking.
 *
 * <p>Configuration: the combined document of {@link ConfigFiles#load()}: {@code precompute} (conf/precompute.json),
 * {@code model} (its {@code precompute.generation.client} block is merged over it for a background client of its
 * own: no retries, a small connection budget), {@code redis}, {@code cache} (conf/cache.json).
 *
 * <p>HTTP: {@code /health}, {@code /ready} and {@code /metrics} on {@code precompute.port} (8081; 0 = any free port,
 * see {@link #actualPort()}), served by {@link PrecomputeStatus}. Several systems in one JVM must each pass port 0.
 *
 * <p>Trending ({@code precompute.trending}, off unless enabled): every completed non-personal turn is counted in
 * {@link TrendingTracker}; every {@code warmEverySeconds} the top {@code topN} questions asked at least
 * {@code minWarmCount} times (decayed) whose intent the cache may hold get an answer in the semantic cache, in the
 * scope the orchestrator computes for them (intent, titles, volumes, prompt and catalog version, no user), generated
 * on Haiku within the background budget when the cache has none. {@code trending.schedule} ({@link WarmSchedule})
 * warms the top {@code schedule.topN} once more at fixed local times before the evening peak.
 */
public final class PrecomputeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PrecomputeVerticle.class);

  private JsonObject conf;
  private Redis redis;
  private RedisAPI redisApi;
  private PrecomputeStore store;
  private TransitionModel transitions;
  private FollowUpPlanner planner;
  private BackgroundBudget budget;
  private GenerationQueue queue;
  private AnswerLedger ledger;
  private ProfileStore profiles;
  private Map<String, Boolean> prefetched;
  private PrecomputeMetrics metrics;
  private PrecomputeStatus status;
  private volatile boolean consumersRegistered;
  private ModelClient model;
  private MiniLmEmbedder embedder;
  /** Predicted questions repeat across sessions once their titles are masked: each is embedded once. */
  private EmbeddingMemo embeddings;
  private PromptLibrary prompts;
  private volatile Catalog catalog;
  /** The last catalog version acted on: every orchestrator of a cluster announces the same change. */
  private String lastCatalogUpdate;
  private EntityResolver resolver;
  private Map<String, String> lastIntent;
  private final Set<ModelStream> running = new HashSet<>();
  private long refreshTimer = -1;
  private TrendingTracker trending;
  private SemanticCache cache;
  private Set<String> uncacheable = Set.of();
  private long warmTimer = -1;
  private long scheduleTimer = -1;
  private long sweepTimer = -1;
  private Future<Integer> lastRound = Future.succeededFuture(0);
  private int warmRound;
  private final Clock clock;

  public PrecomputeVerticle() {
    this(Clock.systemUTC());
  }

  /** {@code clock}: what the warm schedule reads the time of day from (tests pass a fixed one). */
  PrecomputeVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    conf = config().getJsonObject("precompute", new JsonObject());
    JsonObject redisConfig = config().getJsonObject("redis", new JsonObject());
    redis = RedisClients.create(vertx, redisConfig);
    redisApi = RedisAPI.api(redis);
    store = new PrecomputeStore(redis, conf.getJsonObject("store", new JsonObject()));
    transitions = TransitionModel.from(conf);
    embeddings = new EmbeddingMemo(conf.getInteger("embeddingMemoEntries", 10_000));
    planner = FollowUpPlanner.from(conf);
    int maxSessions = conf.getInteger("maxTrackedSessions", 100_000);
    JsonObject budgets = conf.getJsonObject("budgets", new JsonObject());
    budget = new BackgroundBudget(budgets, maxSessions);
    JsonObject generation = conf.getJsonObject("generation", new JsonObject());
    queue = new GenerationQueue(budget, generation.getInteger("maxTokens", 300), budgets.getLong("maxQueueWaitMs", 20_000L),
        budgets.getInteger("maxQueued", 256));
    ledger = new AnswerLedger(maxSessions);
    profiles = new ProfileStore(redis, new JsonObject().put("timeoutMs",
        Math.max(200L, conf.getJsonObject("store", new JsonObject()).getLong("timeoutMs", 30L))));
    MeterRegistry registry = PrometheusScrape.registry();
    metrics = new PrecomputeMetrics(registry);
    // /health, /ready and /metrics on precompute.port (8081), a verticle of its own, undeployed with this one
    status = new PrecomputeStatus(registry, redis, () -> consumersRegistered);
    Future<String> statusServer = vertx.deployVerticle(status, new DeploymentOptions().setConfig(config()));
    lastIntent = boundedMap(maxSessions);
    prefetched = boundedMap(maxSessions);
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
      WarmSchedule schedule = WarmSchedule.from(trendingConf.getJsonObject("schedule", new JsonObject()));
      if (schedule != null) {
        int topN = trendingConf.getJsonObject("schedule").getInteger("topN", trendingConf.getInteger("topN", 20));
        ready.onSuccess(v -> scheduleWarming(schedule, topN));
      }
    }
    // answers expired unused are counted as waste shortly after their expiry
    sweepTimer = vertx.setPeriodic(conf.getLong("wasteSweepMs", 10_000L), id ->
        ledger.expired(System.currentTimeMillis()).forEach(metrics::wasted));
    Future.all(turns, catalogUpdates).onSuccess(registered -> consumersRegistered = true);
    return Future.join(ready, turns, catalogUpdates, statusServer);
  }

  @Override
  public Future<?> stop() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    for (long timer : new long[] {warmTimer, scheduleTimer, sweepTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
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

  /** The port of {@code /health}, {@code /ready} and {@code /metrics} actually bound (useful with port 0). */
  public int actualPort() {
    return status == null ? -1 : status.actualPort();
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
          .onFailure(e -> about(LOG.atDebug(), turn).log("trending not counted: {}", e.getMessage()));
    }
    boolean hit = "precomputed".equals(turn.getString("source"));
    String previous = lastIntent.put(sessionId, intent);
    if (previous != null) {
      transitions.observe(redisApi, previous, intent, timeoutMs)
          .onFailure(e -> about(LOG.atDebug(), turn).log("transition not counted in Redis: {}", e.getMessage()));
      metrics.followUp(previous, hit);
    }
    if (hit) {
      AnswerLedger.Entry served = ledger.served(sessionId, turn.getString("answer"));
      if (served != null) {
        metrics.served(served);
      }
    }
    if (!conf.getBoolean("enabled", true)) {
      return;
    }
    prefetchSegment(turn);
    JsonArray entities = turn.getJsonArray("entities", new JsonArray());
    CatalogTitle title = entities.isEmpty() ? null : catalog.title(entities.getString(0));
    if (title == null) {
      metrics.skipped("no_title");
      about(LOG.atDebug(), turn).log("no follow-ups: the turn names no title");
      return;
    }
    // one line per turn handled: the orchestrator's "turn completed" line of it has the same requestId
    about(LOG.atInfo(), turn).addKeyValue("intent", intent).addKeyValue("titleId", title.titleId())
        .log("predicting follow-ups");
    precomputeAfter(sessionId, turn.getString("queryId"), intent, title, turn.getString("text"))
        .onFailure(e -> about(LOG.atWarn(), turn).log("precompute failed: {}", e.getMessage()));
  }

  /** Keys a log event by the turn it handles, as the orchestrator's lines about that turn are keyed (LogKeys). */
  private static LoggingEventBuilder about(LoggingEventBuilder event, JsonObject turn) {
    return event.addKeyValue(LogKeys.REQUEST_ID, turn.getString("requestId"))
        .addKeyValue(LogKeys.SESSION_ID, turn.getString("sessionId"));
  }

  /** Plans and answers the follow-ups of a turn of {@code intent} about {@code title}. */
  private Future<Void> precomputeAfter(String sessionId, String queryId, String intent, CatalogTitle title,
      String askedText) {
    List<FollowUpPlanner.Planned> plan = planner.plan(transitions.next(intent));
    if (plan.isEmpty()) {
      return Future.succeededFuture();
    }
    plan.stream().map(p -> p.question().intent()).distinct().forEach(p -> metrics.predicted(intent, p));
    return store.forSession(sessionId)
        .otherwise(e -> List.of())
        .compose(existing -> precompute(new Trigger(sessionId, queryId, intent, askedText), title, plan, existing));
  }

  /** The turn whose completion led to a round of predictions. */
  private record Trigger(String sessionId, String queryId, String intent, String text) {}

  /** One planned question about one title, with its id and its texts. */
  private record Item(FollowUpPlanner.Planned planned, String id, String question, String masked, String matchText) {

    JsonObject suggestion() {
      return new JsonObject().put("text", question).put("intent", planned.question().intent());
    }
  }

  /**
   * Suggestions of one trigger that are ready, most probable first, re-published whole (a client shows the latest
   * list) as each answer is stored.
   */
  private final class ReadySuggestions {
    private final Trigger trigger;
    private final List<Item> items = new ArrayList<>();

    ReadySuggestions(Trigger trigger) {
      this.trigger = trigger;
    }

    void add(Item item) {
      if (!item.planned().suggest() || items.stream().anyMatch(i -> i.id().equals(item.id()))) {
        return;
      }
      items.add(item);
      items.sort(java.util.Comparator.comparingDouble((Item i) -> i.planned().probability()).reversed());
      publish();
    }

    void publish() {
      JsonArray suggestions = new JsonArray();
      items.forEach(i -> suggestions.add(i.suggestion()));
      vertx.eventBus().publish(Addresses.PRECOMPUTE_READY, new JsonObject().put("sessionId", trigger.sessionId())
          .put("queryId", trigger.queryId()).put("suggestions", suggestions));
    }
  }

  private Future<Void> precompute(Trigger trigger, CatalogTitle title, List<FollowUpPlanner.Planned> plan,
      List<PrecomputedAnswer> existing) {
    Set<String> stored = new HashSet<>();
    existing.forEach(a -> stored.add(a.id()));
    String asked = QuestionNormalizer.normalize(trigger.text());
    List<Item> items = new ArrayList<>();
    for (FollowUpPlanner.Planned planned : plan) {
      String question = planned.question().text().replace("{title}", title.title());
      if (QuestionNormalizer.normalize(question).equals(asked)) {
        continue; // just asked and answered
      }
      String masked = masked(question);
      // a per-volume question is embedded as about vol. 1: the embedding only has to say "price of a volume"
      String matchText = PrecomputeMatcher.matchText(masked.replace(PrecomputedAnswer.VOLUME_PLACEHOLDER, "1"));
      items.add(new Item(planned, PrecomputedAnswer.idFor(planned.question().intent(), List.of(title.titleId()),
          question), question, masked, matchText));
    }
    ReadySuggestions ready = new ReadySuggestions(trigger);
    // prose first: a Haiku answer takes seconds, so it starts before the questions are even embedded
    Map<String, Future<Generated>> generations = new LinkedHashMap<>();
    for (Item item : items) {
      if (item.planned().generate() && !stored.contains(item.id())) {
        generations.put(item.id(), enqueue(trigger.sessionId(), item.planned().probability(),
            proseRequest(item.planned().question().intent(), title, item.question())));
      }
    }
    List<String> texts = items.stream().map(Item::matchText).toList();
    return vertx.executeBlocking(() -> embeddings.embedAll(texts, embedder), false).compose(vectors -> {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        if (stored.contains(item.id())) {
          metrics.skipped("exists");
          ready.add(item);
          continue;
        }
        PrecomputedAnswer draft = draft(trigger, item, title, vectors.get(i));
        FollowUpQuestion question = item.planned().question();
        String kind = question.model() ? question.provisional() : question.answer();
        if (kind != null) {
          PrecomputedAnswer answer = current(title) ? catalogAnswer(draft, kind, title) : null;
          if (answer != null) {
            done.add(put(answer, trigger.intent()).onSuccess(v -> ready.add(item)));
          }
        }
        Future<Generated> generation = generations.get(item.id());
        if (generation != null) {
          done.add(generation.compose(result -> {
            if (!current(title)) {
              // written from the catalog before an update: the update's re-warm answers it again
              metrics.skipped("catalog_changed");
              return Future.succeededFuture();
            }
            metrics.generated(PrecomputedAnswer.SOURCE_MODEL, question.intent());
            return put(with(draft, result.text(), new JsonArray(), PrecomputedAnswer.SOURCE_MODEL, result.tokens()),
                trigger.intent());
          }).onSuccess(v -> ready.add(item)));
        }
      }
      return Future.join(done).<Void>mapEmpty().otherwiseEmpty();
    });
  }

  /**
   * The question with its titles masked as the orchestrator masks a shopper's; a per-volume question keeps its
   * {@code {volume}} placeholder (masking normalises punctuation away, so each side of it is masked alone).
   */
  private String masked(String question) {
    int at = question.indexOf(PrecomputedAnswer.VOLUME_PLACEHOLDER);
    if (at < 0) {
      return resolver.maskTitles(question);
    }
    return (resolver.maskTitles(question.substring(0, at)) + " " + PrecomputedAnswer.VOLUME_PLACEHOLDER + " "
        + resolver.maskTitles(question.substring(at + PrecomputedAnswer.VOLUME_PLACEHOLDER.length()))).strip();
  }

  /** False once a catalog update changed this title: what was written from it is stale. */
  private boolean current(CatalogTitle title) {
    return title.equals(catalog.title(title.titleId()));
  }

  private PrecomputedAnswer draft(Trigger trigger, Item item, CatalogTitle title, float[] embedding) {
    FollowUpQuestion question = item.planned().question();
    return new PrecomputedAnswer(item.id(), trigger.sessionId(), trigger.queryId(), item.question(), item.masked(),
        question.intent(), List.of(title.titleId()), List.of(), embedding, null, new JsonArray(), null, 0, 0, 0,
        question.cue(), Map.of());
  }

  /** Writes an answer and records it in the ledger. */
  private Future<Void> put(PrecomputedAnswer answer, String triggerIntent) {
    return store.put(answer).onSuccess(v -> ledger.stored(answer, triggerIntent,
        System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(
            conf.getJsonObject("store", new JsonObject()).getLong("ttlSeconds", 300L))));
  }

  /** The draft answered by a catalog kind, with the title's card; null when the catalog has nothing to say. */
  private PrecomputedAnswer catalogAnswer(PrecomputedAnswer draft, String kind, CatalogTitle title) {
    JsonObject generation = conf.getJsonObject("generation", new JsonObject());
    String pattern = conf.getString("cardImagePattern", "/covers/{titleId}/{volume}.svg");
    if (CatalogAnswers.PER_VOLUME_KINDS.contains(kind)) {
      Map<Integer, String> byVolume = CatalogAnswers.forVolume(kind, title, conf.getInteger("maxVolumeAnswers", 200));
      if (byVolume.isEmpty()) {
        return null;
      }
      metrics.generated(PrecomputedAnswer.SOURCE_CATALOG, draft.intent());
      // its own answer (the series' price or stock) is what a shopper gets who types the question with its
      // placeholder; no card: the title's card shows its latest volume, not the one asked about
      String series = CatalogAnswers.answer("volume_price".equals(kind) ? "price" : "availability", title, catalog, 0);
      return new PrecomputedAnswer(draft.id(), draft.sessionId(), draft.triggerQueryId(), draft.question(),
          draft.maskedQuestion(), draft.intent(), draft.titleIds(), List.of(), draft.embedding(), series,
          new JsonArray(), PrecomputedAnswer.SOURCE_CATALOG, 0, 0, 0, draft.cue(), byVolume);
    }
    String text = CatalogAnswers.answer(kind, title, catalog, generation.getInteger("similarTitles", 5));
    if (text == null) {
      return null;
    }
    metrics.generated(PrecomputedAnswer.SOURCE_CATALOG, draft.intent());
    JsonArray cards = new JsonArray().add(title.card(null, pattern));
    if ("similar".equals(kind)) {
      CatalogAnswers.similar(catalog, title, generation.getInteger("similarTitles", 5))
          .forEach(o -> cards.add(o.card(null, pattern)));
    }
    return with(draft, text, cards, PrecomputedAnswer.SOURCE_CATALOG, 0);
  }

  /** A prose question on Haiku: the title's catalog block (and its similar titles' for a similar-titles question). */
  private ModelRequest proseRequest(String intent, CatalogTitle title, String question) {
    JsonObject generation = conf.getJsonObject("generation", new JsonObject());
    List<CatalogTitle> context = new ArrayList<>();
    context.add(title);
    if ("recommendation".equals(intent)) {
      context.addAll(CatalogAnswers.similar(catalog, title, generation.getInteger("similarTitles", 5)));
    }
    return new ModelRequest(generation.getString("model", "haiku"), prompts.systemPrompt(intent),
        List.of(ChatMessage.user(CatalogAnswers.userMessage(context, question))),
        generation.getInteger("maxTokens", 300), generation.getDouble("temperature", 0.3), List.of(), Map.of());
  }

  /** A background generation, started when the queue admits it (most probable first); fails if it never is. */
  private Future<Generated> enqueue(String sessionId, double priority, ModelRequest request) {
    Promise<Generated> promise = Promise.promise();
    queue.submit(sessionId, priority, System.currentTimeMillis(), new GenerationQueue.Job() {
      @Override
      public void start() {
        generate(sessionId, request).onComplete(promise);
      }

      @Override
      public void dropped(String reason) {
        metrics.skipped(reason);
        promise.fail("budget: " + reason);
      }
    });
    return promise.future();
  }

  private record Generated(String text, int tokens) {}

  /**
   * One background generation on Haiku, its budget already acquired; releases it however it ends (and lets the next
   * waiting generation start); a throttle starts the cool-down.
   */
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
        released(sessionId, request.maxTokens(), tokens);
        promise.complete(new Generated(text.toString(), tokens));
      }

      @Override
      public void onError(ModelFailure failure) {
        running.remove(handle[0]);
        if (failure.kind() == ModelFailure.Kind.THROTTLED) {
          // live traffic first: stop all background generation for the cool-down
          budget.throttled(System.currentTimeMillis());
          metrics.throttled();
          LOG.info("model throttled background generation; cooling down");
        }
        released(sessionId, request.maxTokens(), (text.length() + 3) / 4);
        metrics.skipped("model_" + failure.kind().name().toLowerCase());
        promise.fail(failure.kind() + ": " + failure.message());
      }
    });
    if (!promise.future().isComplete()) {
      running.add(handle[0]);
    }
    return promise.future();
  }

  private void released(String sessionId, int reserved, int tokens) {
    budget.release(sessionId, reserved, tokens);
    metrics.tokens(tokens);
    queue.pump(System.currentTimeMillis());
  }

  /**
   * Segment prefetch: once per session, when the shopper's profile leans to a genre (at least
   * {@code segments.minLikedTitles} liked titles; the genre they like most), that genre's browse answer is stored for
   * the session, found by a question that names the genre (its cue).
   */
  private void prefetchSegment(JsonObject turn) {
    String sessionId = turn.getString("sessionId");
    String userId = turn.getString("userId");
    String queryId = turn.getString("queryId");
    JsonObject segments = conf.getJsonObject("segments", new JsonObject());
    if (!segments.getBoolean("enabled", false) || userId == null || prefetched.containsKey(sessionId)) {
      return;
    }
    prefetched.put(sessionId, Boolean.TRUE);
    profiles.load(userId).compose(profile -> {
      if (profile.likedTitleIds().size() < segments.getInteger("minLikedTitles", 2)
          || profile.favouriteGenres().isEmpty()) {
        prefetched.remove(sessionId); // not yet: a later turn may have made the profile lean
        return Future.succeededFuture();
      }
      return prefetchGenre(sessionId, queryId, profile, segments);
    }).onFailure(e -> about(LOG.atDebug(), turn).log("segment prefetch failed: {}", e.getMessage()));
  }

  private Future<Void> prefetchGenre(String sessionId, String queryId, ShopperProfile profile, JsonObject segments) {
    String genre = profile.favouriteGenres().get(0);
    String label = genre.replace('-', ' ');
    List<CatalogTitle> titles = CatalogAnswers.browse(catalog, genre, profile.favouriteGenres(),
        new HashSet<>(profile.likedTitleIds()), segments.getInteger("titles", 5));
    if (titles.isEmpty()) {
      return Future.succeededFuture();
    }
    String text = CatalogAnswers.browseAnswer(label, titles);
    String pattern = conf.getString("cardImagePattern", "/covers/{titleId}/{volume}.svg");
    JsonArray cards = new JsonArray();
    titles.forEach(t -> cards.add(t.card(null, pattern)));
    // the genre's words, hyphen or space between them: "slice of life" and "slice-of-life" alike
    String cue = "\\b" + String.join("[- ]?", java.util.Arrays.stream(label.split(" "))
        .map(java.util.regex.Pattern::quote).toList()) + "\\b";
    List<Item> items = new ArrayList<>();
    JsonArray questions = segments.getJsonArray("questions", new JsonArray());
    for (int i = 0; i < questions.size(); i++) {
      JsonObject q = questions.getJsonObject(i);
      String question = q.getString("text").replace("{genre}", label);
      String masked = resolver.maskTitles(question);
      FollowUpQuestion followUp = new FollowUpQuestion(q.getString("intent"), question, "details", null, cue, false);
      items.add(new Item(new FollowUpPlanner.Planned(followUp, 0, false, false),
          PrecomputedAnswer.idFor(followUp.intent(), List.of(), question), question, masked,
          PrecomputeMatcher.matchText(masked)));
    }
    List<String> texts = items.stream().map(Item::matchText).toList();
    return vertx.executeBlocking(() -> embeddings.embedAll(texts, embedder), false).compose(vectors -> {
      List<Future<Void>> puts = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        puts.add(put(new PrecomputedAnswer(item.id(), sessionId, queryId, item.question(), item.masked(),
            item.planned().question().intent(), List.of(), List.of(), vectors.get(i), text, cards,
            PrecomputedAnswer.SOURCE_CATALOG, 0, 0, 0, cue, Map.of()), "segment"));
      }
      return Future.join(puts).onSuccess(v -> metrics.segmentPrefetched(genre)).mapEmpty();
    });
  }

  private static PrecomputedAnswer with(PrecomputedAnswer d, String text, JsonArray cards, String source, int tokens) {
    return new PrecomputedAnswer(d.id(), d.sessionId(), d.triggerQueryId(), d.question(), d.maskedQuestion(),
        d.intent(), d.titleIds(), d.volumes(), d.embedding(), text, cards, source, tokens, 0, 0, d.cue(),
        d.volumeAnswers());
  }

  /**
   * Answers about changed titles go first (from Redis, every session's); then, from the fresh catalog, the sessions
   * that held them are answered again as after the turn that first led to them, and the trending questions about
   * those titles are warmed again ({@code rewarmOnCatalogUpdate}, default true).
   */
  private void onCatalogUpdated(Message<JsonObject> message) {
    Object versionValue = message.body().getValue("catalogVersion");
    String version = versionValue == null ? null : String.valueOf(versionValue);
    if (version != null && version.equals(lastCatalogUpdate)) {
      metrics.catalogUpdate("repeated");
      return;
    }
    metrics.catalogUpdate("applied");
    lastCatalogUpdate = version;
    List<String> changed = new ArrayList<>();
    message.body().getJsonArray("titleIds", new JsonArray()).forEach(t -> changed.add(String.valueOf(t)));
    Path catalogFile = ConfigFiles.home().resolve(conf.getString("catalog", "conf/catalog/catalog.json"));
    List<AnswerLedger.Entry> dropped = ledger.invalidated(changed, System.currentTimeMillis());
    Future<Integer> invalidated = store.invalidateTitles(changed)
        .onSuccess(metrics::invalidated)
        .onFailure(e -> LOG.warn("precomputed answers of {} titles not invalidated: {}", changed.size(), e.getMessage()));
    Future<Catalog> reread = vertx.executeBlocking(() -> Catalog.read(catalogFile))
        .onSuccess(this::useCatalog)
        .onFailure(e -> LOG.warn("catalog re-read failed, keeping version {}: {}", catalog.version(), e.getMessage()));
    if (!conf.getBoolean("rewarmOnCatalogUpdate", true)) {
      return;
    }
    Future.join(invalidated, reread).onComplete(v -> {
      rewarmSessions(dropped, new HashSet<>(changed));
      if (trending != null && !changed.isEmpty()) {
        JsonObject trendingConf = conf.getJsonObject("trending", new JsonObject());
        warmRound(trendingConf.getInteger("topN", 20), "catalog", new HashSet<>(changed));
      }
    });
  }

  /** Each (session, title) the dropped answers were about, answered again as after the turn that led to them. */
  private void rewarmSessions(List<AnswerLedger.Entry> dropped, Set<String> changed) {
    Map<String, AnswerLedger.Entry> byTurnAndTitle = new LinkedHashMap<>();
    for (AnswerLedger.Entry entry : dropped) {
      if ("segment".equals(entry.triggerIntent())) {
        continue; // a genre's browse answer: fetched again by the session's next turn
      }
      for (String titleId : entry.titleIds()) {
        if (changed.contains(titleId)) {
          byTurnAndTitle.putIfAbsent(entry.sessionId() + "|" + entry.triggerQueryId() + "|" + titleId, entry);
        }
      }
    }
    int limit = conf.getInteger("maxRewarmedSessions", 1000);
    byTurnAndTitle.entrySet().stream().limit(limit).forEach(e -> {
      AnswerLedger.Entry entry = e.getValue();
      CatalogTitle title = catalog.title(e.getKey().substring(e.getKey().lastIndexOf('|') + 1));
      if (title != null) {
        precomputeAfter(entry.sessionId(), entry.triggerQueryId(), entry.triggerIntent(), title, "")
            .onFailure(err -> LOG.debug("re-warm of session {} failed: {}", entry.sessionId(), err.getMessage()));
      }
    });
  }

  /** The periodic round (skipped while another round is still running). */
  Future<Integer> warmTrending() {
    if (trending == null || !lastRound.isComplete()) {
      return Future.succeededFuture(0);
    }
    return warmRound(conf.getJsonObject("trending", new JsonObject()).getInteger("topN", 20), "periodic", null);
  }

  /** Schedules the next warming before the peak, and the one after it when that has run. */
  private void scheduleWarming(WarmSchedule schedule, int topN) {
    long delayMs = Math.max(1L, schedule.untilNext(clock.instant()).toMillis());
    scheduleTimer = vertx.setTimer(delayMs, id -> warmRound(topN, "schedule", null)
        .onComplete(done -> scheduleWarming(schedule, topN)));
  }

  /**
   * One warming round, after any round still running: the top {@code topN} trending questions the cache may hold
   * (only those about {@code titles} when given), each looked up in the semantic cache and, when missing, answered on
   * Haiku and stored there. One at a time, within the background budget. Completes with the number of answers stored.
   */
  Future<Integer> warmRound(int topN, String reason, Set<String> titles) {
    if (trending == null) {
      return Future.succeededFuture(0);
    }
    Future<Integer> round = lastRound.transform(previous -> warmTop(topN, titles)).andThen(done -> {
      int stored = done.succeeded() ? done.result() : 0;
      metrics.warmed(reason, stored);
      if (stored > 0) {
        LOG.info("warmed {} trending answers into the semantic cache ({})", stored, reason);
      }
    });
    lastRound = round;
    return round;
  }

  private Future<Integer> warmTop(int topN, Set<String> titles) {
    JsonObject trendingConf = conf.getJsonObject("trending", new JsonObject());
    double minCount = trendingConf.getDouble("minWarmCount", 1.5);
    String round = "trending:" + (++warmRound);
    return trending.top(topN, System.currentTimeMillis())
        .compose(top -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (TrendingTracker.Trending question : top) {
            if (question.count() < minCount || uncacheable.contains(question.intent())
                || (titles != null && question.titleIds().stream().noneMatch(titles::contains))) {
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
        });
  }

  /** Stores an answer for one trending question unless the cache already holds one (false then). */
  private Future<Boolean> warm(String round, TrendingTracker.Trending question) {
    Catalog current = catalog;
    CacheScope scope = trendingScope(question.intent(), question.titleIds(), question.volumes());
    // embedded as the orchestrator embeds a shopper's question for the semantic tier (CacheScope.EMBEDDED_TEXT)
    String embeddedText = PrecomputeMatcher.matchText(resolver.maskTitles(question.question()));
    return vertx.executeBlocking(() -> embeddings.embed(embeddedText, embedder), false).compose(embedding ->
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

  /** For tests: one warming round on this verticle's own context, after any round still running. */
  Future<Integer> warmNow() {
    Promise<Integer> promise = Promise.promise();
    context.runOnContext(v -> warmRound(conf.getJsonObject("trending", new JsonObject()).getInteger("topN", 20),
        "periodic", null).onComplete(promise));
    return promise.future();
  }

  private static <V> Map<String, V> boundedMap(int maxEntries) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > maxEntries;
      }
    };
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
}
