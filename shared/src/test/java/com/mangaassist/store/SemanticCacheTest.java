package com.mangaassist.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.store.CacheLookup.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache against the real Redis at {@code REDIS_URL}. Keys must live under {@code ma:}, so every test uses a
 * prompt version unique to this run: its scopes cannot meet anyone else's, and they are invalidated afterwards.
 */
class SemanticCacheTest {

  private static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", RedisClients.DEFAULT_URL);

  private final HashingTestEmbedder embedder = new HashingTestEmbedder();
  private final String promptVersion = "test-" + UUID.randomUUID();
  private final List<CacheScope> usedScopes = new ArrayList<>();
  private Vertx vertx;
  private Redis redis;
  private RedisAPI api;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    redis = RedisClients.create(vertx, new JsonObject().put("url", REDIS_URL));
    api = RedisAPI.api(redis);
  }

  @AfterEach
  void tearDown() throws Exception {
    SemanticCache cleaner = new SemanticCache(redis, new JsonObject().put("timeoutMs", 2000));
    for (CacheScope scope : usedScopes) {
      await(cleaner.invalidate(scope));
    }
    await(vertx.close());
  }

  @Test
  void aStoredAnswerIsAnExactHitForTheSameQuestionWrittenDifferently() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    CacheScope scope = scope(cache, "recommendation", List.of("one-piece"));
    assertTrue(await(cache.store(scope, "Recommend manga like One Piece", null, "Try Naruto.", new JsonObject().put("model", "m1"))));

    CacheLookup lookup = await(cache.lookup(scope, "  recommend manga like one   piece?! ", null));

    assertEquals(Outcome.EXACT_HIT, lookup.outcome());
    assertEquals("exact", lookup.tier());
    assertEquals("Try Naruto.", lookup.answer().answer());
    assertEquals("m1", lookup.answer().metadata().getString("model"));
    assertEquals("Recommend manga like One Piece", lookup.answer().question());
  }

  @Test
  void aCloseRephrasingIsASemanticHitAndAnUnrelatedQuestionIsAMiss() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    CacheScope scope = scope(cache, "recommendation", List.of("attack-on-titan"));
    store(cache, scope, "suggest manga similar to Attack on Titan", "Try Gantz.");

    // the lexical test embedder scores this rephrasing above 0.92; real paraphrases need the real model
    CacheLookup close = lookup(cache, scope, "suggest some manga similar to Attack on Titan");
    assertEquals(Outcome.SEMANTIC_HIT, close.outcome());
    assertEquals("semantic", close.tier());
    assertTrue(close.similarity() >= SemanticCache.DEFAULT_THRESHOLD, "similarity " + close.similarity());
    assertEquals("Try Gantz.", close.answer().answer());

    CacheLookup unrelated = lookup(cache, scope, "is Attack on Titan finished");
    assertEquals(Outcome.MISS, unrelated.outcome());
    assertTrue(unrelated.similarity() < SemanticCache.DEFAULT_THRESHOLD, "best similarity is still reported");
  }

  @Test
  void byMeaningAloneTheExactTierIsNotConsulted() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    CacheScope scope = scope(cache, "recommendation", List.of("attack-on-titan"));
    store(cache, scope, "suggest manga similar to Attack on Titan", "Try Gantz.");
    String exactOnly = "which manga are like Attack on Titan, in one line";
    assertTrue(await(cache.store(scope, exactOnly, null, "Try Gantz, in one line.", new JsonObject())));

    CacheLookup close = await(cache.lookupByMeaning(scope, "suggest some manga similar to Attack on Titan",
        embedder.embed("suggest some manga similar to Attack on Titan")));
    assertEquals(Outcome.SEMANTIC_HIT, close.outcome());
    assertEquals("Try Gantz.", close.answer().answer());
    // the same text as an entry stored without a vector: only the exact tier knows it, and it is not asked
    assertEquals(Outcome.EXACT_HIT, await(cache.lookup(scope, exactOnly, embedder.embed(exactOnly))).outcome());
    assertTrue(await(cache.lookupByMeaning(scope, exactOnly, embedder.embed(exactOnly))).outcome() != Outcome.EXACT_HIT);
  }

  @Test
  void theTtlIsAbsoluteAndAHitNeverExtendsIt() throws Exception {
    SemanticCache cache = cache(new JsonObject().put("ttlSeconds", 600));
    CacheScope scope = scope(cache, "recommendation", List.of("monster"));
    String question = "suggest manga similar to Monster";
    store(cache, scope, question, "Pluto, 20th Century Boys.");
    String exactKey = RedisKeys.cacheExact(scope.key(), Sha256Hex.of(QuestionNormalizer.normalize(question)));
    String semanticKey = RedisKeys.cacheSemantic(scope.key());

    long exactBefore = pttl(exactKey);
    long semanticBefore = pttl(semanticKey);
    assertTrue(exactBefore > 0 && exactBefore <= 600_000, "absolute TTL set at write: " + exactBefore);
    assertTrue(semanticBefore > 0 && semanticBefore <= 600_000, "absolute TTL set at write: " + semanticBefore);

    assertEquals(Outcome.EXACT_HIT, lookup(cache, scope, question).outcome());
    CacheLookup semantic = lookup(cache, scope, "suggest some manga similar to Monster");
    assertEquals(Outcome.SEMANTIC_HIT, semantic.outcome());
    assertEquals(semantic.answer().createdAt() + 600_000, semantic.answer().expiresAt());

    assertTrue(pttl(exactKey) <= exactBefore, "a hit must not refresh the exact entry's TTL");
    assertTrue(pttl(semanticKey) <= semanticBefore, "a hit must not refresh the semantic entries' TTL");
  }

  @Test
  void personalAnswersAreSharedWithTheSameUserOnly() throws Exception {
    // order_status is uncacheable by default; enable it to check that the user scope alone prevents leaks
    SemanticCache cache = cache(new JsonObject().put("uncacheableIntents", new JsonArray()));
    CacheScope alice = track(cache.scope("order_status", List.of(), List.of(), promptVersion, 1, "alice"));
    CacheScope bob = track(cache.scope("order_status", List.of(), List.of(), promptVersion, 1, "bob"));
    store(cache, alice, "where is my order", "Alice's parcel is in Osaka.");

    assertEquals(Outcome.EXACT_HIT, lookup(cache, alice, "Where is my order?").outcome());
    CacheLookup forBob = lookup(cache, bob, "where is my order");
    assertFalse(forBob.hit(), "bob must never see alice's order");

    CacheScope anonymous = cache.scope("order_status", List.of(), List.of(), promptVersion, 1, null);
    assertFalse(await(cache.store(anonymous, "where is my order", null, "someone's parcel", null)));
    assertEquals(Outcome.MISSING_USER, lookup(cache, anonymous, "where is my order").outcome());

    // a shared intent ignores the user, so alice's answer serves bob
    CacheScope aliceAsks = track(cache.scope("faq", List.of(), List.of(), promptVersion, 1, "alice"));
    CacheScope bobAsks = track(cache.scope("faq", List.of(), List.of(), promptVersion, 1, "bob"));
    assertEquals(aliceAsks, bobAsks);
    store(cache, aliceAsks, "what is your return policy", "30 days.");
    assertEquals(Outcome.EXACT_HIT, lookup(cache, bobAsks, "what is your return policy").outcome());
  }

  @Test
  void liveDataIntentsAreNeitherStoredNorServed() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    for (String intent : List.of("availability", "purchase", "latest_volume", "order_status")) {
      CacheScope scope = track(cache.scope(intent, List.of("one-piece"), List.of(105), promptVersion, 1, "alice"));
      String question = "one piece volume 105 " + intent;
      assertFalse(await(cache.store(scope, question, embedder.embed(question), "In stock: 3", null)), intent);
      assertEquals(0L, exists(RedisKeys.cacheSemantic(scope.key()), RedisKeys.cacheOrder(scope.key()),
          RedisKeys.cacheExact(scope.key(), Sha256Hex.of(QuestionNormalizer.normalize(question)))), intent);
      CacheLookup lookup = await(cache.lookup(scope, question, embedder.embed(question)));
      assertEquals(Outcome.DISABLED_INTENT, lookup.outcome(), intent);
      assertEquals("disabled_intent", lookup.reason());
    }
  }

  @Test
  void scopesNeverMeetEvenForTheSameText() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    String question = "what is Frieren about";
    CacheScope v1 = scope(cache, "product_info", List.of("frieren"));
    store(cache, v1, question, "An elf mage after the adventure.");

    CacheScope otherPrompt = track(new CacheScope("product_info", List.of("frieren"), List.of(), promptVersion + "-b", 1, null));
    CacheScope otherCatalog = track(new CacheScope("product_info", List.of("frieren"), List.of(), promptVersion, 2, null));
    CacheScope otherEntity = track(new CacheScope("product_info", List.of("vagabond"), List.of(), promptVersion, 1, null));
    CacheScope otherIntent = track(new CacheScope("recommendation", List.of("frieren"), List.of(), promptVersion, 1, null));
    for (CacheScope other : List.of(otherPrompt, otherCatalog, otherEntity, otherIntent)) {
      CacheLookup lookup = lookup(cache, other, question);
      assertEquals(Outcome.MISS, lookup.outcome(), other.toString());
      assertTrue(Double.isNaN(lookup.similarity()), "nothing of another scope is even compared");
    }
    assertEquals(Outcome.EXACT_HIT, lookup(cache, v1, question).outcome());
  }

  @Test
  void guardsRejectNearMissesThatClearTheThreshold() throws Exception {
    // a threshold low enough that similarity alone would serve these wrong answers
    SemanticCache cache = cache(new JsonObject().put("similarityThreshold", 0.5));
    CacheScope berserk = scope(cache, "recommendation", List.of("berserk"));
    store(cache, berserk, "manga like Berserk", "Claymore, Vinland Saga.");
    CacheLookup negated = lookup(cache, berserk, "manga like Berserk but not so dark");
    assertEquals(Outcome.NEGATION_GUARD, negated.outcome());
    assertTrue(negated.similarity() >= 0.5);

    // entity resolution missed the volume: the scope is the same, the number guard is the backstop
    CacheScope onePiece = scope(cache, "product_info", List.of("one-piece"));
    store(cache, onePiece, "synopsis of One Piece volume 3", "Volume 3 summary.");
    assertEquals(Outcome.NUMBER_GUARD, lookup(cache, onePiece, "synopsis of One Piece volume 4").outcome());
  }

  @Test
  void eachScopeKeepsOnlyItsNewestEntries() throws Exception {
    SemanticCache cache = cache(new JsonObject().put("maxEntriesPerScope", 3));
    CacheScope scope = scope(cache, "faq", List.of());
    List<String> questions = List.of(
        "what is your return policy", "how long does shipping take", "which payment methods do you accept",
        "do you ship to canada", "do you gift wrap");
    for (String question : questions) {
      store(cache, scope, question, "answer to " + question);
    }

    assertEquals(3, api.hlen(RedisKeys.cacheSemantic(scope.key())).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).toInteger());
    assertEquals(3, api.zcard(RedisKeys.cacheOrder(scope.key())).toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS).toInteger());
    for (String evicted : questions.subList(0, 2)) {
      assertEquals(Outcome.MISS, await(cache.lookup(scope, evicted, null)).outcome(), "exact tier bounded too: " + evicted);
    }
    for (String kept : questions.subList(2, 5)) {
      assertEquals(Outcome.EXACT_HIT, await(cache.lookup(scope, kept, null)).outcome(), kept);
    }
  }

  @Test
  void unreadableProbesAndProbesWhoseAnswerIsGoneArePassedOver() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    CacheScope scope = scope(cache, "recommendation", List.of("monster"));
    store(cache, scope, "suggest manga similar to Monster", "Pluto, 20th Century Boys.");
    String probes = RedisKeys.cacheSemantic(scope.key());
    // an entry of the earlier JSON format, and bytes of no format at all, in the same scope
    await(api.hset(List.of(probes, "old", "{\"question\":\"suggest manga similar to Monster\",\"answer\":\"stale\"}",
        "junk", "\u0001\u0002")));
    CacheLookup hit = lookup(cache, scope, "suggest some manga similar to Monster");
    assertEquals(Outcome.SEMANTIC_HIT, hit.outcome());
    assertEquals("Pluto, 20th Century Boys.", hit.answer().answer());

    // the answer itself gone (evicted by hand): the probe alone serves nothing
    await(api.del(List.of(RedisKeys.cacheExact(scope.key(),
        Sha256Hex.of(QuestionNormalizer.normalize("suggest manga similar to Monster"))))));
    CacheLookup gone = lookup(cache, scope, "suggest some manga similar to Monster");
    assertEquals(Outcome.MISS, gone.outcome());
    assertTrue(gone.similarity() >= SemanticCache.DEFAULT_THRESHOLD, "the probe was still seen: " + gone.similarity());
  }

  @Test
  void anUnreachableRedisFailsTheFutureInsteadOfThrowing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Redis down = RedisClients.create(vertx, new JsonObject().put("url", "redis://127.0.0.1:" + closedPort));
    SemanticCache cache = new SemanticCache(down, new JsonObject());
    CacheScope scope = new CacheScope("faq", List.of(), List.of(), promptVersion, 1, null);

    Future<CacheLookup> lookup = cache.lookup(scope, "do you ship to canada", embedder.embed("do you ship to canada"));
    Future<Boolean> store = cache.store(scope, "do you ship to canada", null, "yes", null);

    assertNotNull(awaitFailure(lookup));
    assertNotNull(awaitFailure(store));
  }

  @Test
  void badArgumentsFailTheFutureInsteadOfThrowing() throws Exception {
    SemanticCache cache = cache(new JsonObject());
    assertNotNull(awaitFailure(cache.lookup(null, "hello", null)));
    assertNotNull(awaitFailure(cache.store(null, "hello", null, "hi", null)));
  }

  private SemanticCache cache(JsonObject config) {
    // generous deadline: these tests check behaviour, and CI machines are shared
    return new SemanticCache(redis, config.copy().put("timeoutMs", config.getLong("timeoutMs", 2000L)));
  }

  private CacheScope scope(SemanticCache cache, String intent, List<String> titleIds) {
    return track(cache.scope(intent, titleIds, List.of(), promptVersion, 1, "alice"));
  }

  private CacheScope track(CacheScope scope) {
    usedScopes.add(scope);
    return scope;
  }

  private void store(SemanticCache cache, CacheScope scope, String question, String answer) throws Exception {
    assertTrue(await(cache.store(scope, question, embedder.embed(question), answer, null)));
  }

  private CacheLookup lookup(SemanticCache cache, CacheScope scope, String question) throws Exception {
    return await(cache.lookup(scope, question, embedder.embed(question)));
  }

  private long pttl(String key) throws Exception {
    return await(api.pttl(key)).toLong();
  }

  private long exists(String... keys) throws Exception {
    return await(api.exists(List.of(keys))).toLong();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }
}
