package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.bus.Addresses;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorAdmin;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.PrecomputedAnswer;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The verticle against the real Redis at REDIS_URL and the Bedrock emulator through the real BedrockModelClient.
 * Sessions are fresh per test; the throttling test runs last because it starts a cool-down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrecomputeVerticleTest {

  private static PrecomputeTestSystem system;
  private static Vertx vertx;
  private static EmulatorAdmin emulator;
  private static PrecomputeVerticle verticle;
  private static PrecomputeStore store;
  private static RedisAPI redis;
  private static final Map<String, JsonObject> ready = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    system = PrecomputeTestSystem.start(new JsonObject()
        // priors only: the shared Redis may hold transition counts from other runs
        .put("priorWeight", 1e9)
        .put("budgets", new JsonObject().put("perSessionMaxTokens", 300).put("throttleCoolDownMs", 1500))
        .put("generation", new JsonObject().put("maxTokens", 300)));
    vertx = system.vertx;
    verticle = system.verticle;
    emulator = new EmulatorAdmin(system.emulatorPort);
    redis = RedisAPI.api(system.redis);
    store = new PrecomputeStore(system.redis, new JsonObject().put("timeoutMs", 1000));
    vertx.eventBus().<JsonObject>consumer(Addresses.PRECOMPUTE_READY,
        m -> ready.put(m.body().getString("sessionId"), m.body()));
  }


  @AfterAll
  static void stop() {
    system.close();
  }


  private static String session() {
    return "test-" + UUID.randomUUID();
  }

  private static void turn(String sessionId, String text, String intent, String... titles) {
    vertx.eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", sessionId).put("userId", "u1").put("queryId", "q-" + UUID.randomUUID())
        .put("text", text).put("intent", intent).put("entities", new JsonArray(List.of((Object[]) titles)))
        .put("volumes", new JsonArray()).put("answer", "…").put("source", "model").put("model", "haiku")
        .put("at", "2025-01-01T00:00:00Z"));
  }

  private static Map<String, PrecomputedAnswer> byIntent(String sessionId) {
    return await(store.forSession(sessionId)).stream()
        .collect(Collectors.toMap(PrecomputedAnswer::intent, a -> a, (a, b) -> a));
  }

  @Test
  @Order(1)
  void theRolesStatusPortAnswersHealthReadinessAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    int port = verticle.actualPort();
    assertTrue(port > 0 && port != 8081, "the fixture asks for any free port: " + port);
    Function<String, HttpResponse<String>> get = path -> {
      try {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .build(), HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    assertEquals("UP", new JsonObject(get.apply("/health").body()).getString("status"));
    HttpResponse<String> readiness = get.apply("/ready");
    assertEquals(200, readiness.statusCode(), readiness.body());
    JsonObject readyBody = new JsonObject(readiness.body());
    assertEquals(true, readyBody.getBoolean("consumers"), "deployed means both bus consumers are registered");
    assertEquals("UP", readyBody.getString("redis"));
    HttpResponse<String> metrics = get.apply("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("mangaassist_precompute_background_tokens_total"), metrics.body());
  }

  @Test
  @Order(1)
  void productInfoTurnPrecomputesDataAndProseAnswersForThatSessionOnly() {
    String s = session();
    turn(s, "Tell me about One Piece", "product_info", "one-piece");
    // the recommendation's catalog list is stored at once and replaced by the Haiku answer when that is ready
    Map<String, PrecomputedAnswer> answers = eventually(() -> byIntent(s),
        m -> m.keySet().containsAll(Set.of("purchase", "availability", "latest_volume", "recommendation"))
            && m.get("recommendation").source().equals("model"));
    PrecomputedAnswer buy = answers.get("purchase");
    assertEquals("catalog", buy.source());
    assertTrue(buy.answer().contains("One Piece") && buy.answer().contains("528"), buy.answer());
    assertEquals(List.of("one-piece"), buy.titleIds());
    assertEquals("Where can I buy One Piece?", buy.question());
    assertEquals(1, buy.cards().size());
    Map<String, PrecomputedAnswer> byQuestion = byQuestion(s);
    assertTrue(byQuestion.get("Is One Piece in stock?").answer().contains("out of stock"), "vol. 112 has 0 copies");
    assertTrue(answers.get("latest_volume").answer().contains("112"));
    PrecomputedAnswer similar = answers.get("recommendation");
    assertEquals("model", similar.source());
    assertFalse(similar.answer().isBlank());
    assertTrue(similar.tokens() > 0);
    assertEquals(384, buy.embedding().length);
    // the trigger's own intent is predicted too: a product question is often followed by another one
    assertTrue(byQuestion.containsKey("Tell me more about One Piece"), byQuestion.keySet().toString());
    PrecomputedAnswer price = byQuestion.get("How much is one volume of One Piece?");
    assertEquals("catalog", price.source());
    assertTrue(price.answer().contains("¥528"), price.answer());
    assertTrue(byQuestion.get("How many volumes of One Piece are there?").answer().contains("112"));
    PrecomputedAnswer perVolume = byQuestion.get("How much is volume {volume} of One Piece?");
    assertTrue(perVolume.perVolume());
    assertEquals(0, perVolume.tokens());
    assertEquals(price.answer(), perVolume.answer(), "typed literally, the per-volume question gets the series' price");
    assertTrue(perVolume.forVolume(3).answer().startsWith("Vol. 3 of One Piece is ¥528"), perVolume.forVolume(3).answer());
    assertTrue(perVolume.forVolume(112).answer().contains("out of stock"), "vol. 112 has 0 copies");
    assertTrue(perVolume.forVolume(3).maskedQuestion().startsWith("how much is volume 3 "),
        "the masked question keeps the volume, the number guard reads it: " + perVolume.forVolume(3).maskedQuestion());
    assertEquals(price.cue(), perVolume.cue(), "both price answers carry the configured price cue");
    assertTrue(price.cue() != null && price.cue().contains("how much"), String.valueOf(price.cue()));

    // suggestions are published as their answers are stored: wait for the list that includes the Haiku one
    JsonObject event = eventually(() -> ready.get(s), e -> e != null
        && e.getJsonArray("suggestions").encode().contains("Anything similar to One Piece?"));
    List<String> suggestions = event.getJsonArray("suggestions").stream()
        .map(o -> ((JsonObject) o).getString("text")).toList();
    // chips for the top four predicted intents (priors after a product question: purchase, similar titles, more about
    // it, the next volume); stock, fifth, is answered ahead but not offered
    assertEquals(Set.of("Where can I buy One Piece?", "Anything similar to One Piece?", "Tell me more about One Piece",
        "When is the next volume of One Piece out?"), Set.copyOf(suggestions));
    assertFalse(suggestions.contains("How much is one volume of One Piece?"), "catalog facets are answered, not offered");

    assertTrue(await(store.forSession(session())).isEmpty(), "another session sees nothing");
    assertTrue(verticle.metrics().sum("mangaassist.precompute.predictions") >= 4);
    assertTrue(verticle.metrics().count("mangaassist.precompute.generated", "source", "catalog") >= 3);
    assertTrue(verticle.metrics().sum("mangaassist.precompute.background.tokens") > 0);
  }

  private static Map<String, PrecomputedAnswer> byQuestion(String sessionId) {
    return await(store.forSession(sessionId)).stream()
        .collect(Collectors.toMap(PrecomputedAnswer::question, a -> a, (a, b) -> a));
  }

  @Test
  @Order(2)
  void aShopperWhoLeansToAGenreGetsThatGenresBrowseAnswerAheadFoundOnlyByNamingIt() throws Exception {
    com.mangaassist.catalog.Catalog catalog = com.mangaassist.catalog.Catalog.read(
        ConfigFiles.confDir().resolve("catalog/catalog.json"));
    // two liked romance titles (nothing else in common): the profile leans to romance
    List<com.mangaassist.catalog.CatalogTitle> romance = catalog.titles().stream()
        .filter(t -> t.genres().contains("romance")).limit(2).toList();
    String user = "segment-" + UUID.randomUUID();
    com.mangaassist.store.ProfileStore profiles = new com.mangaassist.store.ProfileStore(
        RedisClients.create(vertx, new JsonObject().put("url",
            System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))), new JsonObject());
    await(profiles.recordLiked(user, romance.stream().map(com.mangaassist.catalog.CatalogTitle::titleId).toList(),
        romance.stream().collect(Collectors.toMap(com.mangaassist.catalog.CatalogTitle::titleId,
            t -> List.of("romance")))));
    String s = session();
    vertx.eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", s).put("userId", user).put("queryId", "q-" + UUID.randomUUID())
        .put("text", "Do you ship to Canada?").put("intent", "faq").put("entities", new JsonArray())
        .put("volumes", new JsonArray()).put("answer", "…").put("source", "model").put("at", "2025-01-01T00:00:00Z"));
    PrecomputedAnswer browse = eventually(() -> byIntent(s), m -> m.containsKey("product_search")).get("product_search");
    assertEquals("Show me romance manga", browse.question());
    assertEquals(List.of(), browse.titleIds());
    assertEquals(5, browse.cards().size());
    for (Object card : browse.cards()) {
      String titleId = ((JsonObject) card).getString("titleId");
      assertTrue(catalog.title(titleId).genres().contains("romance"), titleId);
      assertFalse(romance.stream().anyMatch(t -> t.titleId().equals(titleId)), "titles they already like are left out");
    }
    // served for a question naming the genre, never for another genre however close in meaning
    com.mangaassist.embed.MiniLmEmbedder embedder = new com.mangaassist.embed.MiniLmEmbedder();
    var romanceAsk = com.mangaassist.store.PrecomputeMatcher.decide(List.of(browse), "show me some romance manga",
        "product_search", List.of(), List.of(), embedder.embed("show me some romance manga"), 0.5, System.currentTimeMillis());
    assertEquals(com.mangaassist.store.PrecomputeMatcher.Outcome.SERVED, romanceAsk.outcome());
    var horrorAsk = com.mangaassist.store.PrecomputeMatcher.decide(List.of(browse), "show me some horror manga",
        "product_search", List.of(), List.of(), embedder.embed("show me some horror manga"), 0.5, System.currentTimeMillis());
    assertEquals(com.mangaassist.store.PrecomputeMatcher.Outcome.CUE_GUARD, horrorAsk.outcome());
    await(redis.del(List.of(com.mangaassist.store.RedisKeys.profile(user))));
  }

  @Test
  @Order(2)
  void ttlIsAbsoluteAndNotRefreshedByReads() throws InterruptedException {
    String s = session();
    turn(s, "Is Naruto in stock?", "availability", "naruto");
    PrecomputedAnswer buy = eventually(() -> byIntent(s), m -> m.containsKey("purchase")).get("purchase");
    String key = RedisKeys.precomputeEntry(s, buy.id());
    long first = await(redis.pttl(key)).toLong();
    assertTrue(first > 0 && first <= 300_000, "pttl " + first);
    assertEquals(buy.createdAt() + 300_000, buy.expiresAt());
    Thread.sleep(50);
    for (int i = 0; i < 5; i++) {
      await(store.forSession(s));
    }
    long later = await(redis.pttl(key)).toLong();
    assertTrue(later < first, "reads never extend the TTL: " + first + " then " + later);
  }

  @Test
  @Order(3)
  void entriesExpireAtTheirAbsoluteTtl() {
    PrecomputeStore shortLived = new PrecomputeStore(RedisClients.create(vertx,
        new JsonObject().put("url", System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))),
        new JsonObject().put("ttlSeconds", 1).put("timeoutMs", 1000));
    String s = session();
    PrecomputedAnswer a = new PrecomputedAnswer("a1", s, "q", "Is Bleach in stock?", "is the manga in stock",
        "availability", List.of("bleach"), List.of(), new float[] {1, 0}, "yes", new JsonArray(), "catalog", 0, 0, 0);
    await(shortLived.put(a));
    assertEquals(1, await(shortLived.forSession(s)).size());
    eventually(() -> await(shortLived.forSession(s)), List::isEmpty);
  }

  @Test
  @Order(4)
  void catalogUpdateInvalidatesAnswersAboutChangedTitlesAndAnswersThemAgainFromTheFreshCatalog() {
    String s = session();
    String other = session();
    turn(s, "Tell me about Bleach", "product_info", "bleach");
    turn(other, "Tell me about Spy x Family", "product_info", "spy-x-family");
    // every question of the shipped configuration: four chips, stock, price, volume count and the two per-volume ones
    Map<String, PrecomputedAnswer> before = eventually(() -> byQuestion(s), m -> m.size() >= 9);
    Map<String, PrecomputedAnswer> otherBefore = eventually(() -> byQuestion(other), m -> m.size() >= 9);
    double invalidatedBefore = verticle.metrics().sum("mangaassist.precompute.invalidated");
    long updatedAt = System.currentTimeMillis();
    vertx.eventBus().publish(Addresses.CATALOG_UPDATED,
        new JsonObject().put("titleIds", new JsonArray().add("bleach")).put("catalogVersion", 2));
    // every answer written before the update is gone; the same questions are answered again after it
    Map<String, PrecomputedAnswer> after = eventually(() -> byQuestion(s), m -> m.keySet().containsAll(before.keySet())
        && m.values().stream().allMatch(a -> a.createdAt() >= updatedAt));
    assertEquals(before.keySet(), after.keySet());
    assertTrue(verticle.metrics().sum("mangaassist.precompute.invalidated") >= invalidatedBefore + before.size());
    Map<String, PrecomputedAnswer> untouched = byQuestion(other);
    otherBefore.forEach((question, answer) -> {
      PrecomputedAnswer now = untouched.get(question);
      // a prose question's provisional catalog answer is replaced by the model's when Haiku is done, update or not:
      // that replacement is not an invalidation; anything else rewritten is
      boolean replacedByItsModelAnswer = PrecomputedAnswer.SOURCE_CATALOG.equals(answer.source())
          && PrecomputedAnswer.SOURCE_MODEL.equals(now.source());
      assertTrue(answer.createdAt() == now.createdAt() || replacedByItsModelAnswer,
          "answers about unchanged titles stay as they were: " + question + " (" + answer.source() + " at "
              + answer.createdAt() + ", now " + now.source() + " at " + now.createdAt() + ")");
    });
  }

  @Test
  @Order(5)
  void theSameCatalogUpdateAnnouncedByASecondOrchestratorIsActedOnOnce() {
    String s = session();
    turn(s, "Tell me about Bleach", "product_info", "bleach");
    // the turn's own answers first: written after the announcement, they would pass for the re-warmed ones below
    // (seen in a CI run, once precompute remembered its embeddings and wrote them sooner)
    eventually(() -> byQuestion(s), m -> m.size() >= 9);
    JsonObject update = new JsonObject().put("titleIds", new JsonArray().add("bleach")).put("catalogVersion", 3);
    vertx.eventBus().publish(Addresses.CATALOG_UPDATED, update);
    // answered again from the fresh catalog after the first announcement
    long firstAt = System.currentTimeMillis();
    Map<String, PrecomputedAnswer> rewarmed = eventually(() -> byQuestion(s),
        m -> m.size() >= 9 && m.values().stream().allMatch(a -> a.createdAt() >= firstAt));
    double invalidated = verticle.metrics().sum("mangaassist.precompute.invalidated");
    double repeated = verticle.metrics().count("mangaassist.precompute.catalog.updates", "outcome", "repeated");
    vertx.eventBus().publish(Addresses.CATALOG_UPDATED, update);
    eventually(() -> verticle.metrics().count("mangaassist.precompute.catalog.updates", "outcome", "repeated"),
        n -> n == repeated + 1);
    assertEquals(invalidated, verticle.metrics().sum("mangaassist.precompute.invalidated"),
        "the repeated announcement invalidated nothing");
    Map<String, PrecomputedAnswer> now = byQuestion(s);
    rewarmed.forEach((question, answer) -> {
      PrecomputedAnswer current = now.get(question);
      boolean replacedByItsModelAnswer = PrecomputedAnswer.SOURCE_CATALOG.equals(answer.source())
          && current != null && PrecomputedAnswer.SOURCE_MODEL.equals(current.source());
      assertTrue(current != null && (current.createdAt() == answer.createdAt() || replacedByItsModelAnswer),
          "not answered a second time: " + question);
    });
  }

  @Test
  @Order(6)
  void budgetsCapBackgroundGenerations() {
    // after availability the top four are purchase, latest_volume (catalog), product_info and recommendation (model,
    // each with a catalog provisional); the session's 300-token budget admits one 300-token generation only
    double refusedBefore = verticle.metrics().count("mangaassist.precompute.skipped", "reason", "session_tokens");
    String s = session();
    turn(s, "Is Chainsaw Man in stock?", "availability", "chainsaw-man");
    // readiness is published per stored answer: wait for the model's one, then check nothing more was admitted
    List<PrecomputedAnswer> answers = eventually(() -> await(store.forSession(s)),
        list -> list.stream().anyMatch(a -> a.source().equals("model")) && list.size() >= 4);
    assertEquals(1, answers.stream().filter(a -> a.source().equals("model")).count(), answers.toString());
    assertTrue(answers.stream().filter(a -> a.source().equals("catalog")).map(PrecomputedAnswer::intent).toList()
        .containsAll(List.of("purchase", "latest_volume")), answers.toString());
    assertEquals(refusedBefore + 1,
        verticle.metrics().count("mangaassist.precompute.skipped", "reason", "session_tokens"));
  }

  @Test
  @Order(7)
  void throttlingStopsBackgroundGenerationUntilTheCoolDownEnds() {
    emulator.armFault("http-429", 0, -1);
    try {
      String a = session();
      turn(a, "Tell me about Dandadan", "product_info", "dandadan");
      eventually(() -> verticle.metrics().sum("mangaassist.precompute.throttle.backoffs"), n -> n >= 1);
      int startedBefore = emulator.stats().getInteger("started");
      double coolDownBefore = verticle.metrics().count("mangaassist.precompute.skipped", "reason", "cool_down");
      String b = session();
      turn(b, "Tell me about Kaiju No. 8", "product_info", "kaiju-no-8");
      eventually(() -> ready.get(b), e -> e != null);
      List<PrecomputedAnswer> during = eventually(() -> await(store.forSession(b)), list -> list.stream()
          .map(PrecomputedAnswer::intent).toList().containsAll(List.of("purchase", "availability", "latest_volume")));
      assertTrue(during.stream().allMatch(x -> x.source().equals("catalog")), "data answers only while cooling down");
      assertEquals(startedBefore, emulator.stats().getInteger("started"), "no model call during the cool-down");
      assertTrue(verticle.metrics().count("mangaassist.precompute.skipped", "reason", "cool_down") > coolDownBefore);
    } finally {
      emulator.clearFaults();
    }
    // after the cool-down, background generation resumes by itself: one new session a turn until one of them
    // (on a loaded machine not necessarily the latest) has a model answer
    List<String> after = new java.util.ArrayList<>();
    eventually(() -> {
      String c = session();
      after.add(c);
      turn(c, "Tell me about Sakamoto Days", "product_info", "sakamoto-days");
      sleep(300);
      return after.stream().flatMap(x -> await(store.forSession(x)).stream()).toList();
    }, list -> list.stream().anyMatch(x -> x.source().equals("model")));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code supplier} until {@code condition} holds (15 s at most); no assertion about how long it took. */
  private static <T> T eventually(Supplier<T> supplier, Predicate<T> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    T value = supplier.get();
    while (!condition.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition never held; last value: " + value);
      }
      sleep(50);
      value = supplier.get();
    }
    return value;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
