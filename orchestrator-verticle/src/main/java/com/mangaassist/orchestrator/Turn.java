package com.mangaassist.orchestrator;

import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.LogKeys;
import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.intent.ResolvedEntities;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelCompletion;
import com.mangaassist.model.ModelFailure;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.model.ModelStream;
import com.mangaassist.model.ModelStreamListener;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.protocol.ErrorCode;
import com.mangaassist.protocol.ServerFrames;
import com.mangaassist.retrieval.PendingSearch;
import com.mangaassist.retrieval.SearchHit;
import com.mangaassist.store.CacheLookup;
import com.mangaassist.store.CacheScope;
import com.mangaassist.store.PrecomputeMatcher;
import com.mangaassist.store.PrecomputedAnswer;
import com.mangaassist.store.QuestionNormalizer;
import com.mangaassist.store.ShopperProfile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One query, from its frame to its single terminal frame, on the connection's event loop:
 * <ol>
 *   <li>status at once; the question's embedding on a worker;</li>
 *   <li>intent and entities (in-process); a question whose words are sure of an intent that needs no catalog
 *       search has its model called at once (EarlyStart), its output held until the embedding confirms it;</li>
 *   <li>fan-out in parallel, each branch with its own deadline: semantic cache, retrieval, history, profile;</li>
 *   <li>a cache hit is served as is; otherwise cards, prompt, model stream (first delta at once, then batches,
 *       more cards as the text names titles);</li>
 *   <li>{@code done}, then history, profile, cache and {@code mangaassist.turn.completed}.</li>
 * </ol>
 */
final class Turn implements ModelStreamListener {

  private static final Logger LOG = LoggerFactory.getLogger(Turn.class);
  /** The intent when the question could not be embedded in time: the broadest, answered without cache. */
  private static final String FALLBACK_INTENT = "product_search";
  /** Intents where titles beyond the ones named are welcome in the answer. */
  private static final java.util.Set<String> BROWSING_INTENTS = java.util.Set.of("recommendation", "product_search",
      "comparison");
  /**
   * Intents answered from the shop's policies or the shopper's order, not from the catalog: without a named title,
   * searching the catalog would only put unrelated titles in the prompt and on cards.
   */
  private static final java.util.Set<String> CATALOG_FREE_INTENTS = java.util.Set.of("greeting", "faq",
      "order_status");
  private static final int MAX_CONTEXT_TITLES = 5;

  private final TurnServices services;
  private final ClientConnection connection;
  private final String queryId;
  /** Unique per turn (a client's query ids repeat across sessions): its log lines and bus event carry it. */
  private final String requestId = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  private final String text;
  private final long receivedNanos;
  private final AnswerWriter writer;
  private final StringBuilder answer = new StringBuilder();
  private final JsonObject timings = new JsonObject();
  private final CatalogKnowledge.Snapshot knowledge;

  private String intent = FALLBACK_INTENT;
  private ResolvedEntities entities = ResolvedEntities.NONE;
  /**
   * The question as the classifiers and the precompute matcher read it: titles masked, references to the
   * conversation's title written the same way.
   */
  private String masked;
  private float[] embedding;
  /** The embedding is back, or failed: nothing more will be known by meaning. */
  private boolean embeddingKnown;
  /**
   * Only the question's beginning was embedded: its vector stands for the beginning alone, so neither the semantic
   * cache nor precomputed answers may be matched (or stored) by meaning; the exact tier and a clicked suggestion,
   * which compare the whole text, still serve it.
   */
  private boolean embeddedInPart;
  private CardTracker cards;
  private String source = "model";
  /** The message of the last {@code retrieving} status sent. */
  private String retrievingShown;
  private CacheLookup cacheLookup;
  /** The catalog search begun on the words while the question is embedded; null when not begun. */
  private PendingSearch searchBegun;
  private Future<List<PrecomputedAnswer>> precomputed;
  private PrecomputeMatcher.Decision precomputeDecision;
  private String modelKey;
  private ModelStream modelStream;
  private ModelRequest request;
  private io.vertx.core.Promise<Void> started;
  private boolean fellBack;
  private long invokedNanos;
  private long firstChunkNanos;
  private long modelFirstDeltaNanos;
  private int deltas;
  private boolean ended;
  /** Completed once the early model call is made: the confirmation needs the turn's candidates and cards. */
  private Promise<Void> earlyCalled;
  /**
   * Deltas of a model call made on the words' intent before the embedding came back (EarlyStart) and not confirmed
   * yet; {@code null} when the turn is not waiting for that confirmation.
   */
  private List<String> held;
  /** The early call's completion or failure, if it came while its output was held. */
  private Runnable heldEnd;
  private List<CatalogTitle> heldCandidates;
  /**
   * Bumped when an early start is abandoned for another intent, or stands down for a precomputed answer: that
   * round's late fan-out is ignored.
   */
  private int round;

  Turn(TurnServices services, ClientConnection connection, String queryId, String text) {
    this.services = services;
    this.connection = connection;
    this.queryId = queryId;
    this.text = text;
    this.receivedNanos = System.nanoTime();
    this.writer = new AnswerWriter(services.vertx(), connection, queryId, services.streaming());
    this.knowledge = services.knowledge().snapshot();
  }

  String queryId() {
    return queryId;
  }

  void start() {
    connection.write(ServerFrames.status(queryId, "received", StatusMessages.RECEIVED));
    long start = System.nanoTime();
    // the session's precomputed follow-ups are fetched while the question is being understood
    precomputed = !services.switches().servePrecomputed()
        ? Future.succeededFuture(List.of())
        : branch("precomputed", services.precomputed().forSession(connection.sessionId()),
            services.fanOut().precomputeMs());
    precomputed.onSuccess(this::serveIfSuggestionClicked);
    EntityResolver.Understood understood = knowledge.resolver().understand(text, connection.lastTitle());
    entities = understood.entities();
    masked = PrecomputeMatcher.matchText(understood.masked());
    timings.put("entities_ms", millisSince(start));
    // one embedding per turn, of the question with its titles masked: the intent, the precomputed answers and the
    // semantic cache all compare questions whose titles are already resolved (and part of the cache scope), and
    // retrieval adds the named titles' own indexed vectors. Masked questions repeat, so it is often remembered.
    String embedded = services.fanOut().embeddedPart(masked);
    embeddedInPart = embedded.length() < masked.length();
    if (embeddedInPart) {
      timings.put("embedded_in_part", true);
    }
    String sureIntent = services.earlyStart().sureIntent(masked);
    if (sureIntent != null && !retrievalCanChangeTheAnswer(sureIntent)) {
      startEarly(sureIntent);
    } else if (services.fanOut().parallel()) {
      // the turn waits for its embedding, and may search the catalog: the words' half of that search runs meanwhile
      searchBegun = services.search().begin(text, services.fanOut().retrievalK());
    }
    long embedStart = System.nanoTime();
    services.embed(embedded)
        .timeout(services.fanOut().embeddingMs(), TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          if (ended) {
            return;
          }
          timings.put("embed_ms", millisSince(embedStart));
          embeddingKnown = true;
          if (result.succeeded()) {
            embedding = result.result();
          } else {
            timings.put("embed_failed", true);
            log(Level.WARN).log("no embedding ({}), answering without cache and retrieval", result.cause().toString());
          }
          if (awaitingConfirmation()) {
            confirmEarlyStart();
          } else {
            classify();
          }
        });
  }

  /**
   * The words are sure of an intent answered from the named titles or the shop's policies: the fan-out without
   * retrieval (the cache's exact tier, history, profile, and the session's precomputed answers, so that a clicked
   * suggestion or a repeated question never starts a model call) and the model call, while the embedding is made.
   */
  private void startEarly(String wordsIntent) {
    intent = wordsIntent;
    held = new ArrayList<>();
    earlyCalled = Promise.promise();
    timings.put("early_start", "pending");
    // listens before the fan-out does (which waits for these answers too), so it stands down before any model call
    precomputed.onSuccess(answers -> {
      if (!ended && awaitingConfirmation() && precomputedCouldServe(answers)) {
        waitForTheEmbedding();
      }
    });
    retrieve();
  }

  /** The model was called before the embedding (EarlyStart) and its output waits for the embedding's verdict. */
  private boolean awaitingConfirmation() {
    return held != null;
  }

  /**
   * The embedding is back: the early call stands if the intent by meaning is the same and no answer is stored for
   * this meaning; then its held output goes out. Otherwise the call is abandoned for the stored answer, or the turn
   * starts over on the intent by meaning.
   */
  private void confirmEarlyStart() {
    if (embedding == null) {
      // nothing to compare by meaning: the words' intent stands, as the fallback intent would without an embedding
      earlyCalled.future().onSuccess(v -> releaseEarlyStart());
      return;
    }
    String byMeaning = intentByMeaning();
    if (!byMeaning.equals(intent)) {
      timings.put("early_start", "restarted").put("intent_by_words", intent);
      if (request != null) {
        // the metric counts calls; a remembered embedding can overrule the words before the call is made
        services.metrics().earlyStart("restarted");
      }
      abandonModelCall();
      leaveEarlyRound();
      intent = byMeaning;
      answerByMeaning();
      return;
    }
    earlyCalled.future().onSuccess(v -> {
      if (ended) {
        return;
      }
      if (precomputed.succeeded() && matchPrecomputed(precomputed.result())) {
        abandonEarlyStartFor(() -> servePrecomputed(precomputeDecision.answer(), "semantic",
            precomputeDecision.similarity()));
        return;
      }
      if (meaningVector() == null) {
        releaseEarlyStart();
        return;
      }
      // the exact tier was looked up before the call
      branch("cache_meaning", services.cache().lookupByMeaning(scope(), text, meaningVector()),
          services.fanOut().cacheMs())
          .onComplete(lookup -> {
            if (ended) {
              return;
            }
            if (lookup.succeeded()) {
              recordCacheOutcome(lookup.result());
            }
            if (lookup.succeeded() && lookup.result().hit()) {
              cacheLookup = lookup.result();
              abandonEarlyStartFor(() -> serveFromCache(heldCandidates));
            } else {
              releaseEarlyStart();
            }
          });
    });
  }

  /**
   * Whether one of the session's precomputed answers could serve the question once its meaning is known (all of the
   * matcher's checks but the similarity pass on the words' intent). The shopper's typed follow-ups are mostly of this
   * kind, so an early call would mostly be cancelled for the precomputed answer, costing a model call and time.
   */
  private boolean precomputedCouldServe(List<PrecomputedAnswer> answers) {
    boolean meaningLost = embeddingKnown && embedding == null;
    return !embeddedInPart && !meaningLost && PrecomputeMatcher.couldServe(answers, masked, intent,
        entities.titleIds(), entities.volumes(), System.currentTimeMillis());
  }

  /**
   * The early start stands down before its model call: its fan-out is ignored, and the turn goes on from the
   * embedding as one that never started early (at once if the embedding is already back; a confirmation that waits
   * for the early call then never runs).
   */
  private void waitForTheEmbedding() {
    timings.put("early_start", "deferred");
    leaveEarlyRound();
    if (embeddingKnown) {
      classify();
    }
  }

  /**
   * The early start's round ends without its call being used (started over, or stood down): whatever that round's
   * fan-out brings later is ignored, and nothing is held any more.
   */
  private void leaveEarlyRound() {
    round++;
    earlyCalled = null;
    held = null;
    heldEnd = null;
    heldCandidates = null;
    cards = null;
    cacheLookup = null;
  }

  /** A stored answer matched by meaning after the early call began: the call is cancelled, the answer served. */
  private void abandonEarlyStartFor(Runnable serveStored) {
    services.metrics().earlyStart("abandoned");
    timings.put("early_start", "abandoned");
    abandonModelCall();
    held = null;
    heldEnd = null;
    serveStored.run();
  }

  /** The early call is confirmed: what it held goes out, after the cards and status the shopper would have seen. */
  private void releaseEarlyStart() {
    if (ended) {
      return;
    }
    services.metrics().earlyStart("used");
    timings.put("early_start", "used");
    services.metrics().preModel(intent, millis(invokedNanos - receivedNanos));
    List<String> deltasHeld = held;
    Runnable end = heldEnd;
    held = null;
    heldEnd = null;
    showGenerating(heldCandidates);
    deltasHeld.forEach(this::onDeltaText);
    if (end != null) {
      end.run();
    }
  }

  /** Cancels the model call and forgets it, so that the turn's metadata and metrics describe what answered. */
  private void abandonModelCall() {
    stopModel();
    modelKey = null;
    request = null;
    started = null;
    fellBack = false;
    invokedNanos = 0;
    modelFirstDeltaNanos = 0;
    timings.remove("pre_model_ms");
    timings.remove("prompt_ms");
    timings.remove("fallback_from");
  }

  /**
   * No further callback comes from a cancelled stream; its start is settled as a success so that a circuit breaker
   * trying the model (half-open) is not left waiting on a call that will never end.
   */
  private void stopModel() {
    if (modelStream != null) {
      modelStream.cancel();
      modelStream = null;
    }
    if (started != null) {
      started.tryComplete();
    }
  }

  /** The shopper cancelled, or the connection went away. */
  void cancel(boolean connectionGone) {
    if (ended) {
      return;
    }
    stopModel();
    services.metrics().cancelled(intent, modelLabel());
    if (connectionGone) {
      ended = true;
      writer.abandon();
      log(Level.DEBUG).log("turn abandoned: the connection went away");
      return;
    }
    JsonObject metadata = metadata(null).put("cancelled", true);
    end(ServerFrames.done(queryId, metadata));
    logEnd("cancelled", metadata);
  }

  private void classify() {
    if (ended) {
      return;
    }
    if (embedding != null) {
      intent = intentByMeaning();
    }
    answerByMeaning();
  }

  /** The full classifier's intent (words and embedding); its time is {@code classify_ms}. */
  private String intentByMeaning() {
    long start = System.nanoTime();
    String byMeaning = services.intents().classify(masked, embedding).intent();
    timings.put("classify_ms", millisSince(start));
    return byMeaning;
  }

  /** With the intent by meaning: the session's precomputed answer if one serves, else the fan-out. */
  private void answerByMeaning() {
    // the session's answers were fetched alongside the embeddings; if Redis is slower, wait up to their deadline
    precomputed.onComplete(fetched -> {
      if (ended) {
        return;
      }
      if (fetched.succeeded() && embedding != null && matchPrecomputed(fetched.result())) {
        servePrecomputed(precomputeDecision.answer(), "semantic", precomputeDecision.similarity());
        return;
      }
      retrieve();
    });
  }

  /**
   * Matches the session's precomputed answers by meaning ({@code precomputeDecision}); true when one is to be served.
   * Never for a question embedded only in part.
   */
  private boolean matchPrecomputed(List<PrecomputedAnswer> answers) {
    if (embeddedInPart) {
      return false;
    }
    precomputeDecision = PrecomputeMatcher.decide(answers, masked, intent, entities.titleIds(), entities.volumes(),
        embedding, services.precomputeThreshold(), System.currentTimeMillis());
    services.metrics().precompute(precomputeDecision.outcome().name().toLowerCase(java.util.Locale.ROOT));
    return precomputeDecision.answer() != null;
  }

  private void retrieve() {
    String message = StatusMessages.forIntent(intent);
    // an early start that stood down or started over fans out again: the shopper is told once per kind of search
    if (!message.equals(retrievingShown)) {
      retrievingShown = message;
      connection.write(ServerFrames.status(queryId, "retrieving", message));
    }
    fanOut();
  }

  private void fanOut() {
    long start = System.nanoTime();
    FanOutOptions deadlines = services.fanOut();
    Catalog catalog = knowledge.catalog();
    // an early start looks up the exact tier now (no vector yet) and the semantic one once the embedding confirms it
    boolean early = awaitingConfirmation();
    java.util.function.Supplier<Future<CacheLookup>> cacheBranch = () -> embedding == null && !early
        ? Future.failedFuture("no embedding")
        : branch("cache", services.cache().lookup(scope(), text, early ? null : meaningVector()), deadlines.cacheMs());
    java.util.function.Supplier<Future<List<SearchHit>>> retrievalBranch = () -> {
      if (!retrievalCanChangeTheAnswer(intent)) {
        // focus() would keep only the titles the question names, or the intent needs no catalog: searching costs a
        // worker and milliseconds for nothing
        services.metrics().fanOutBranch("retrieval", "skipped");
        return Future.succeededFuture(List.of());
      }
      if (embedding == null) {
        return Future.failedFuture("no embedding");
      }
      Future<List<SearchHit>> search = searchBegun != null ? searchBegun.finish(retrievalVector())
          : services.search().search(text, retrievalVector(), deadlines.retrievalK());
      return branch("retrieval", search, deadlines.retrievalMs());
    };
    java.util.function.Supplier<Future<List<ChatMessage>>> historyBranch = () ->
        branch("history", services.sessions().history(connection.sessionId()), deadlines.sessionMs());
    java.util.function.Supplier<Future<ShopperProfile>> profileBranch = () ->
        branch("profile", services.profiles().load(connection.userId()), deadlines.sessionMs());
    Future<CacheLookup> cache;
    Future<List<SearchHit>> retrieval;
    Future<List<ChatMessage>> history;
    Future<ShopperProfile> profile;
    if (deadlines.parallel()) {
      cache = cacheBranch.get();
      retrieval = retrievalBranch.get();
      history = historyBranch.get();
      profile = profileBranch.get();
    } else {
      // one after the other, each still within its own deadline: what the seed's pipeline did before its fan-out
      cache = cacheBranch.get();
      retrieval = cache.transform(r -> retrievalBranch.get());
      history = retrieval.transform(r -> historyBranch.get());
      profile = history.transform(r -> profileBranch.get());
    }
    // an early start also waits for the session's precomputed answers: a clicked suggestion costs no model call
    Future<List<PrecomputedAnswer>> suggestionsChecked = early ? precomputed : Future.succeededFuture(List.of());
    int fannedOutInRound = round;
    Future.join(cache, retrieval, history, profile, suggestionsChecked).onComplete(done -> {
      if (ended || fannedOutInRound != round) {
        return;
      }
      timings.put("fanout_ms", millisSince(start));
      List<CatalogTitle> candidates = focus(candidates(catalog, retrieval.succeeded() ? retrieval.result() : List.of()));
      cards = new CardTracker(candidates, entities.firstVolume(), services.cardImagePattern());
      cacheLookup = cache.succeeded() ? cache.result() : null;
      // an early start's exact-tier miss is not the cache's verdict yet: the semantic lookup records it
      if (cacheLookup != null && (!early || cacheLookup.hit())) {
        recordCacheOutcome(cacheLookup);
      }
      if (cacheLookup != null && cacheLookup.hit()) {
        serveFromCache(candidates);
      } else {
        generate(candidates, history.succeeded() ? history.result() : List.of(),
            profile.succeeded() ? profile.result() : ShopperProfile.EMPTY);
      }
    });
  }

  private void recordCacheOutcome(CacheLookup lookup) {
    services.metrics().cache(lookup.outcome().label());
    timings.put("cache", lookup.outcome().label());
  }

  /** The vector the semantic cache may compare and keep: none (exact tier only) when it stands for part of the text. */
  private float[] meaningVector() {
    return embeddedInPart ? null : embedding;
  }

  private boolean retrievalCanChangeTheAnswer(String intent) {
    return BROWSING_INTENTS.contains(intent)
        || entities.titleIds().isEmpty() && !CATALOG_FREE_INTENTS.contains(intent);
  }

  /**
   * What to search near: the masked question (what is asked) plus the named titles' indexed vectors (what it is
   * about), so "something like Vinland Saga" lands among titles like it without embedding the question twice.
   */
  private float[] retrievalVector() {
    float[] vector = embedding.clone();
    for (String titleId : entities.titleIds()) {
      float[] title = services.search().titleVector(titleId);
      if (title != null && title.length == vector.length) {
        for (int i = 0; i < vector.length; i++) {
          vector[i] += title[i];
        }
      }
    }
    return com.mangaassist.embed.Vectors.normalize(vector);
  }

  /**
   * One fan-out branch: dropped (not waited for) past its deadline; its time ({@code cache_ms}, {@code retrieval_ms}, …)
   * and outcome land in timings, the outcome in metrics.
   */
  private <T> Future<T> branch(String name, Future<T> work, long deadlineMs) {
    long begun = System.nanoTime();
    return work.timeout(deadlineMs, TimeUnit.MILLISECONDS).andThen(result -> {
      timings.put(name + "_ms", millisSince(begun));
      String outcome = result.succeeded() ? "ok"
          : result.cause() instanceof java.util.concurrent.TimeoutException ? "dropped" : "failed";
      services.metrics().fanOutBranch(name, outcome);
      if (!"ok".equals(outcome)) {
        timings.put(name + "_branch", outcome);
        log(Level.DEBUG).log("{} branch {}: {}", name, outcome, result.cause().toString());
      }
    });
  }

  /**
   * A question about named titles (their stock, price, story, release) is answered about those titles only; browsing
   * intents (recommendation, search, comparison) also get what retrieval found.
   */
  private List<CatalogTitle> focus(List<CatalogTitle> candidates) {
    boolean browsing = BROWSING_INTENTS.contains(intent);
    int limit = browsing || entities.titleIds().isEmpty() ? MAX_CONTEXT_TITLES : entities.titleIds().size();
    return candidates.subList(0, Math.min(limit, candidates.size()));
  }

  /** Titles the question names first, then what retrieval found, without repeats. */
  private List<CatalogTitle> candidates(Catalog catalog, List<SearchHit> hits) {
    Map<String, CatalogTitle> ordered = new LinkedHashMap<>();
    for (String id : entities.titleIds()) {
      CatalogTitle title = catalog.title(id);
      if (title != null) {
        ordered.put(id, title);
      }
    }
    for (SearchHit hit : hits) {
      CatalogTitle title = catalog.title(hit.titleId());
      if (title != null) {
        ordered.putIfAbsent(hit.titleId(), title);
      }
    }
    return new ArrayList<>(ordered.values());
  }

  private void serveFromCache(List<CatalogTitle> candidates) {
    source = "cache";
    sendCardsBeforeText(candidates);
    streamStored(cacheLookup.answer().answer());
    finishSuccessfully(null);
  }

  /**
   * The shopper clicked (or typed exactly) a suggested follow-up: its answer is ready, so it is served as soon as
   * the session's answers arrive from Redis, without waiting for embeddings, intent or fan-out.
   */
  private void serveIfSuggestionClicked(List<PrecomputedAnswer> answers) {
    if (ended || "precomputed".equals(source)) {
      return;
    }
    String asked = QuestionNormalizer.normalize(text);
    long now = System.currentTimeMillis();
    for (PrecomputedAnswer answer : answers) {
      if (!answer.expiredAt(now) && QuestionNormalizer.normalize(answer.question()).equals(asked)) {
        services.metrics().precompute("served_exact");
        intent = answer.intent();
        servePrecomputed(answer, "exact", 1.0);
        return;
      }
    }
  }

  /** An answer written ahead of time for this session streams at once, with its cards, as {@code source=precomputed}. */
  private void servePrecomputed(PrecomputedAnswer answer, String match, double similarity) {
    source = "precomputed";
    timings.put("precompute_match", match).put("precompute_similarity", similarity);
    entities = new ResolvedEntities(answer.titleIds(), answer.volumes(), false);
    cards = new CardTracker(List.of(), entities.firstVolume(), services.cardImagePattern());
    if (answer.cards() != null && !answer.cards().isEmpty()) {
      connection.write(ServerFrames.cards(queryId, answer.cards()));
    }
    streamStored(answer.answer());
    finishSuccessfully(null);
  }

  /** A stored answer as chunks, one per sentence: the first goes out at once, the rest as the socket takes them. */
  private void streamStored(String stored) {
    SentencePieces.of(stored).forEach(this::onDeltaText);
  }

  private void generate(List<CatalogTitle> candidates, List<ChatMessage> history, ShopperProfile profile) {
    long start = System.nanoTime();
    if (services.switches().preloadedPrompts()) {
      generate(candidates, history, profile, services.prompts().systemPrompt(intent), start);
      return;
    }
    // the naive pipeline of the with/without benchmark: the template read from disk for every turn
    int readInRound = round;
    services.vertx().fileSystem().readFile(services.prompts().templateFile(intent).toString())
        .onComplete(read -> {
          if (!ended && readInRound == round) {
            generate(candidates, history, profile,
                read.succeeded() ? read.result().toString().trim() : services.prompts().systemPrompt(intent), start);
          }
        });
  }

  private void generate(List<CatalogTitle> candidates, List<ChatMessage> history, ShopperProfile profile,
      String systemPrompt, long start) {
    RoutingTable.Route route = services.routing().route(intent);
    if (!services.switches().routeByIntent()) {
      route = new RoutingTable.Route(services.switches().singleModel(), route.maxTokens());
    }
    modelKey = route.model();
    ModelRequest request = PromptBuilder.build(services.modelId(modelKey), route.maxTokens(),
        systemPrompt, history, candidates,
        entities.firstVolume(), profile, knowledge.catalog(), text);
    timings.put("prompt_ms", millisSince(start));
    if (held == null) {
      showGenerating(candidates);
    } else {
      heldCandidates = candidates;
    }
    invokedNanos = System.nanoTime();
    timings.put("pre_model_ms", millis(invokedNanos - receivedNanos));
    if (held == null) {
      // an early call's time before the model is recorded once it is confirmed (an abandoned one is not the turn's)
      services.metrics().preModel(intent, millis(invokedNanos - receivedNanos));
    }
    this.request = request;
    invoke();
    if (earlyCalled != null) {
      earlyCalled.tryComplete();
    }
  }

  /** The cards known before the text and the {@code generating} status. */
  private void showGenerating(List<CatalogTitle> candidates) {
    sendCardsBeforeText(candidates);
    connection.write(ServerFrames.status(queryId, "generating", StatusMessages.GENERATING));
  }

  /**
   * Starts the stream through the model's circuit breaker. The breaker's verdict is the start: a first delta (or a
   * complete answer) is a success, a failure before it a failure. An open circuit fails at once.
   */
  private void invoke() {
    Promise<Void> start = Promise.promise();
    started = start;
    services.breakers().forModel(modelKey).<Void>execute(promise -> {
      modelStream = services.model().stream(request, this);
      start.future().onComplete(promise);
    }).onFailure(failure -> {
      if (!start.future().isComplete() && !ended) {
        // the circuit is open: the model was not called at all
        onStartFailed(new ModelFailure(ModelFailure.Kind.MODEL_ERROR,
            "the " + modelKey + " model is temporarily unavailable, please try again shortly", true, false));
      }
    });
  }

  /**
   * Before the first token, a failing rich model gives way to the fast one once; otherwise the shopper gets the
   * typed error.
   */
  private void onStartFailed(ModelFailure failure) {
    String fallback = services.fallbackModel();
    if (!fellBack && failure.retryable() && !fallback.equals(modelKey) && !services.breakers().isOpen(fallback)) {
      fellBack = true;
      log(Level.INFO).log("{} failed before its first token ({}), falling back to {}", modelKey, failure.kind(),
          fallback);
      timings.put("fallback_from", modelKey);
      modelKey = fallback;
      request = new ModelRequest(services.modelId(fallback), request.system(), request.messages(), request.maxTokens(),
          request.temperature(), request.stopSequences(), request.headers());
      invokedNanos = System.nanoTime();
      invoke();
      return;
    }
    failWith(failure);
  }

  /** Cards for the titles the question names, or else the best retrieved ones, before any text. */
  private void sendCardsBeforeText(List<CatalogTitle> candidates) {
    List<CatalogTitle> first = entities.titleIds().isEmpty()
        ? candidates.subList(0, Math.min(services.fanOut().cardsBeforeText(), candidates.size()))
        : candidates.stream().filter(t -> entities.titleIds().contains(t.titleId())).toList();
    writeCards(cards.cardsFor(first));
  }

  private void writeCards(JsonArray items) {
    if (!items.isEmpty()) {
      connection.write(ServerFrames.cards(queryId, items));
    }
  }

  @Override
  public void onDelta(String delta) {
    if (ended) {
      return;
    }
    if (modelFirstDeltaNanos == 0) {
      modelFirstDeltaNanos = System.nanoTime();
      started.tryComplete();
    }
    if (held != null) {
      held.add(delta);
      return;
    }
    onDeltaText(delta);
  }

  private void onDeltaText(String delta) {
    deltas++;
    answer.append(delta);
    if (writer.delta(delta) && firstChunkNanos == 0) {
      firstChunkNanos = System.nanoTime();
    }
    writeCards(cards.cardsNamedIn(answer));
  }

  @Override
  public void onComplete(ModelCompletion completion) {
    if (ended) {
      return;
    }
    started.tryComplete();
    if (held != null) {
      heldEnd = () -> finishSuccessfully(completion);
      return;
    }
    finishSuccessfully(completion);
  }

  private void finishSuccessfully(ModelCompletion completion) {
    if (firstChunkNanos == 0 && answer.length() > 0) {
      firstChunkNanos = System.nanoTime();
    }
    JsonObject metadata = metadata(completion);
    end(ServerFrames.done(queryId, metadata));
    logEnd("completed", metadata);
    recordCompletion(metadata);
    remember();
  }

  @Override
  public void onError(ModelFailure failure) {
    if (ended) {
      return;
    }
    if (!failure.afterFirstToken()) {
      started.tryFail(failure.message());
      onStartFailed(failure);
      return;
    }
    if (held != null) {
      heldEnd = () -> failWith(failure);
      return;
    }
    failWith(failure);
  }

  private void failWith(ModelFailure failure) {
    ErrorCode code = switch (failure.kind()) {
      case THROTTLED -> ErrorCode.THROTTLED;
      case TIMEOUT -> ErrorCode.TIMEOUT;
      case MODEL_ERROR, VALIDATION -> ErrorCode.MODEL_ERROR;
      case INTERNAL -> ErrorCode.INTERNAL;
    };
    log(Level.INFO).addKeyValue("intent", intent).addKeyValue("model", modelKey).addKeyValue("code", code.wireName())
        .log("turn failed: {} {}", failure.kind(), failure.message());
    services.metrics().error(intent, modelLabel(), code.wireName());
    String message = failure.afterFirstToken()
        ? "The answer was interrupted: " + failure.message()
        : failure.message();
    end(ServerFrames.error(queryId, code, message, failure.retryable()));
  }

  private void end(String terminalFrame) {
    ended = true;
    writer.finish(terminalFrame);
    connection.turnEnded(this);
  }

  private JsonObject metadata(ModelCompletion completion) {
    long now = System.nanoTime();
    Double firstTokenMs = firstChunkNanos == 0 ? null : millis(firstChunkNanos - receivedNanos);
    Double modelFirstTokenMs = modelFirstDeltaNanos == 0 ? null : millis(modelFirstDeltaNanos - invokedNanos);
    JsonObject metadata = new JsonObject()
        .put("request_id", requestId)
        .put("source", source)
        .put("intent", intent)
        .put("entities", entityNames())
        .put("volumes", new JsonArray(entities.volumes()))
        .put("model", modelKey)
        .put("first_token_ms", firstTokenMs)
        .put("model_first_token_ms", modelFirstTokenMs)
        .put("total_ms", millis(now - receivedNanos))
        .put("tokens", completion != null && completion.outputTokens() >= 0 ? completion.outputTokens() : deltas)
        .put("chunks", writer.chunksSent())
        .put("cards", cards == null ? 0 : cards.sentCount())
        .put("stop_reason", completion == null ? null : completion.stopReason())
        .put("cancelled", false)
        .put("prompt_version", services.prompts().version())
        .put("routing_version", services.routing().version())
        .put("catalog_version", knowledge.catalog().version())
        .put("timings", timings.copy());
    if (fellBack) {
      metadata.put("fallback", true);
    }
    if ("cache".equals(source)) {
      metadata.put("cache_tier", cacheLookup.outcome().label()).put("similarity", cacheLookup.similarity());
    }
    return metadata;
  }

  /** {@code entities}: the resolved titles as shoppers know them, with their ids. */
  private JsonArray entityNames() {
    JsonArray names = new JsonArray();
    for (String id : entities.titleIds()) {
      CatalogTitle title = knowledge.catalog().title(id);
      if (title != null) {
        names.add(new JsonObject().put("titleId", id).put("title", title.title()));
      }
    }
    return names;
  }

  private void recordCompletion(JsonObject metadata) {
    String model = modelLabel();
    Double firstToken = metadata.getDouble("first_token_ms");
    Double modelFirstToken = metadata.getDouble("model_first_token_ms");
    if (firstToken != null) {
      services.metrics().firstToken(intent, model, firstToken);
    }
    if (modelFirstToken != null) {
      services.metrics().modelFirstToken(intent, model, modelFirstToken);
    }
    if (firstToken != null && modelFirstToken != null) {
      services.metrics().serverOverhead(intent, model, firstToken - modelFirstToken);
    }
    services.metrics().completed(intent, model, metadata.getDouble("total_ms"), metadata.getInteger("tokens"),
        metadata.getInteger("chunks"));
  }

  /** After {@code done}: nothing here can delay the answer, and a failure here only costs memory of the turn. */
  private void remember() {
    String sessionId = connection.sessionId();
    String answerText = answer.toString();
    if (entities.firstTitle() != null) {
      connection.rememberTitle(entities.firstTitle());
    }
    services.sessions().appendTurn(sessionId, text, answerText)
        .onFailure(e -> log(Level.DEBUG).log("history not saved: {}", e.getMessage()));
    List<String> liked = LikedTitles.in(intent, text, entities);
    if (!liked.isEmpty()) {
      Map<String, List<String>> genres = new LinkedHashMap<>();
      liked.stream().map(knowledge.catalog()::title).filter(Objects::nonNull)
          .forEach(t -> genres.put(t.titleId(), t.genres()));
      services.profiles().recordLiked(connection.userId(), liked, genres)
          .onFailure(e -> log(Level.DEBUG).log("profile not saved: {}", e.getMessage()));
    }
    if ("model".equals(source) && embedding != null && !answerText.isBlank()) {
      services.cache().store(scope(), text, meaningVector(), answerText, new JsonObject().put("model", modelKey))
          .onFailure(e -> log(Level.DEBUG).log("answer not cached: {}", e.getMessage()));
    }
    services.vertx().eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", sessionId)
        .put("userId", connection.userId())
        .put("queryId", queryId)
        .put("requestId", requestId)
        .put("text", text)
        .put("intent", intent)
        .put("entities", new JsonArray(entities.titleIds()))
        .put("volumes", new JsonArray(entities.volumes()))
        .put("answer", answerText)
        .put("source", source)
        .put("model", modelKey)
        // the benchmark role samples these into its production baseline; same clocks as done.metadata
        .put("first_token_ms", firstChunkNanos == 0 ? null : millis(firstChunkNanos - receivedNanos))
        .put("total_ms", millis(System.nanoTime() - receivedNanos))
        .put("at", Instant.now().toString()));
  }

  /** A log event about this turn, keyed by its request id and session (LogKeys) as every role's lines about it are. */
  private LoggingEventBuilder log(Level level) {
    return LOG.atLevel(level).addKeyValue(LogKeys.REQUEST_ID, requestId)
        .addKeyValue(LogKeys.SESSION_ID, connection.sessionId());
  }

  /** One line per answered turn (never per chunk): what answered it and how fast. */
  private void logEnd(String outcome, JsonObject metadata) {
    log(Level.INFO)
        .addKeyValue("intent", intent)
        .addKeyValue("source", source)
        .addKeyValue("model", modelKey)
        .addKeyValue("first_token_ms", metadata.getValue("first_token_ms"))
        .addKeyValue("total_ms", metadata.getValue("total_ms"))
        // where this turn's time went (embedding, each fan-out branch, prompt), for the slow ones an operator looks at
        .addKeyValue("timings", metadata.getJsonObject("timings"))
        .log("turn {}", outcome);
  }

  private CacheScope scope() {
    // the cache decides whether the user belongs in the scope (personal intents only)
    return services.cache().scope(intent, entities.titleIds(), entities.volumes(), services.prompts().version(),
        knowledge.catalog().version(), connection.userId());
  }

  private String modelLabel() {
    return modelKey == null ? "none" : modelKey;
  }

  private static double millisSince(long startNanos) {
    return millis(System.nanoTime() - startNanos);
  }

  /** Milliseconds with microsecond resolution: server overhead is measured in fractions of a millisecond. */
  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
