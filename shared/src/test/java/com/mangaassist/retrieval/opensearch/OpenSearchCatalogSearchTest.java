package com.mangaassist.retrieval.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.opensearchnode.NodeOptions;
import com.mangaassist.opensearchnode.OpenSearchNode;
import com.mangaassist.retrieval.CatalogSearch;
import com.mangaassist.retrieval.LuceneCatalogSearch;
import com.mangaassist.retrieval.RetrievalEval;
import com.mangaassist.retrieval.SearchHit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OpenSearch backend against a real OpenSearch node with the k-NN plugin (started once for this class, stopped by
 * its PID at the end), with the real embedding model and catalog: it ranks like the embedded index, takes odd input
 * in its stride, and a changed catalog becomes searchable.
 */
class OpenSearchCatalogSearchTest {

  /**
   * How far OpenSearch's recall@5 may lie from the embedded index's on the 82 questions: 2 questions (0.025 each).
   * Both rank by the same recipe (same analyzer, BM25 query, HNSW beam and fusion); HNSW graphs are approximate and
   * built differently (segments, insertion order), so a title near the cut of one branch may move a place.
   */
  private static final double RECALL_TOLERANCE = 0.025;
  private static final double MIN_HIT_RATE = 0.85;
  /**
   * These tests check what comes back, never how fast (that is for benchmarks): a 2-core machine shared with other
   * builds once took over a second for the 4,000-character question, so no search here fails for taking its time.
   */
  private static final long TEST_SEARCH_TIMEOUT_MS = 30_000;

  private static OpenSearchNode node;
  private static Vertx vertx;
  private static MiniLmEmbedder embedder;
  private static Catalog catalog;
  private static LuceneCatalogSearch lucene;
  private static OpenSearchCatalogSearch openSearch;

  @BeforeAll
  static void startNodeAndIndex() throws Exception {
    node = OpenSearchNode.start(NodeOptions.defaults().withHttpPort(0));
    System.out.printf("OpenSearch node up in %d ms (pid %d)%n", node.startTime().toMillis(), node.pid());
    vertx = Vertx.vertx();
    embedder = await(MiniLmEmbedder.load(vertx));
    catalog = Catalog.read(RetrievalEval.repoFile("conf/catalog/catalog.json"));
    lucene = new LuceneCatalogSearch(vertx, embedder, new JsonObject());
    openSearch = openSearchOn("catalog-eval");
    await(Future.all(lucene.index(catalog), openSearch.index(catalog)));
  }

  @AfterAll
  static void stopNode() throws Exception {
    try {
      if (openSearch != null) {
        openSearch.close();
      }
      if (lucene != null) {
        lucene.close();
      }
      if (vertx != null) {
        await(vertx.close());
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void theNodeRunsTheKnnPlugin() throws Exception {
    String plugins = get("/_cat/plugins?h=component");
    assertTrue(plugins.contains("opensearch-knn"), "plugins: " + plugins);
    assertEquals("opensearch", openSearch.backend());
  }

  @Test
  void theRetrievalSuiteAgreesWithTheEmbeddedIndex() throws Exception {
    List<RetrievalEval.Question> questions = RetrievalEval.questions(catalog);
    RetrievalEval.Result embedded = RetrievalEval.run(questions, query -> ids(ask(lucene, query)));
    RetrievalEval.Result remote = RetrievalEval.run(questions, query -> ids(ask(openSearch, query)));

    EntityResolver resolver = new EntityResolver(catalog);
    List<String> clear = new ArrayList<>();
    StringBuilder disagreements = new StringBuilder();
    int sameTopFive = 0;
    for (RetrievalEval.Question question : questions) {
      List<String> mine = embedded.topByQuery().get(question.query());
      List<String> theirs = remote.topByQuery().get(question.query());
      if (mine.equals(theirs)) {
        sameTopFive++;
      }
      // clear: the question names exactly one title, and that title is what it is about
      List<String> named = resolver.resolve(question.query(), null).titleIds();
      if (named.size() == 1 && question.relevant().contains(named.get(0))) {
        clear.add(question.query());
        if (!mine.get(0).equals(theirs.get(0))) {
          disagreements.append(String.format("  \"%s\": lucene %s, opensearch %s%n", question.query(), mine, theirs));
        }
      }
    }
    System.out.printf("retrieval eval, %d questions: recall@5 lucene %.3f, opensearch %.3f; mean recall@5 lucene %.3f,"
            + " opensearch %.3f; identical top-5 lists %d; clear cases %d%nopensearch misses:%n%s",
        questions.size(), embedded.hitRate(), remote.hitRate(), embedded.meanRecall(), remote.meanRecall(), sameTopFive,
        clear.size(), remote.misses());

    assertTrue(remote.hitRate() >= MIN_HIT_RATE, String.format("opensearch recall@5 %.3f%n%s", remote.hitRate(),
        remote.misses()));
    assertTrue(Math.abs(remote.hitRate() - embedded.hitRate()) <= RECALL_TOLERANCE + 1e-9, String.format(
        "recall@5 lucene %.3f vs opensearch %.3f, more than %.3f apart", embedded.hitRate(), remote.hitRate(),
        RECALL_TOLERANCE));
    assertTrue(clear.size() >= 20, "clear cases: " + clear);
    assertEquals("", disagreements.toString(), "clear cases whose top title differs");
  }

  @ParameterizedTest
  @CsvFileSource(resources = "/retrieval/named-titles.csv")
  void namingATitleFindsItFirst(String query, String titleId) throws Exception {
    assertEquals(titleId, ids(ask(openSearch, query)).get(0), "top hit for \"" + query + "\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "?!", "AoT?!", "\"", "title:(a OR", "*", "AND OR NOT", "~~~^^^", "\\", "[1 TO",
      "{}[]()", "/regex/", "🙂🙂🙂", "nul\u0000byte", "+-&&||!"})
  void oddInputGivesResultsOrNothingButNeverAnError(String text) throws Exception {
    assertTrue(ask(openSearch, text).size() <= 5);
    assertTrue(await(openSearch.search(text, null, 5)).size() <= 5);
  }

  @Test
  void aPastedEssayOf4000CharactersIsSearchable() throws Exception {
    StringBuilder essay = new StringBuilder();
    String[] words = {"pirate", "ninja", "title:(x", "OR", "volleyball", "\"", "love*", "~2", "school", "AoT?!"};
    for (int i = 0; essay.length() < 4000; i++) {
      essay.append(words[i % words.length]).append(i).append(' ');
    }
    assertEquals(5, ask(openSearch, essay.substring(0, 4000)).size());
  }

  @Test
  void resultsAreAtMostKAndBestFirst() throws Exception {
    List<SearchHit> hits = ask(openSearch, "volleyball", 3);
    assertEquals(3, hits.size());
    assertEquals("haikyu", hits.get(0).titleId());
    assertTrue(hits.get(0).score() >= hits.get(1).score() && hits.get(1).score() >= hits.get(2).score());
  }

  @Test
  void kOfZeroOrAWrongSizedEmbeddingAreHandledWithoutSearching() throws Exception {
    assertEquals(List.of(), await(openSearch.search("one piece", embedder.embed("x"), 0)));
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> await(openSearch.search("one piece", new float[3], 5)));
    assertInstanceOf(IllegalArgumentException.class, failure.getCause());
  }

  @Test
  void beforeTheIndexExistsSearchesAnswerEmpty() throws Exception {
    try (OpenSearchCatalogSearch empty = openSearchOn("catalog-never-indexed")) {
      assertEquals(List.of(), ask(empty, "one piece"));
    }
  }

  @Test
  void aChangedCatalogIsSyncedTitleByTitleAndTheChangeIsSearchable() throws Exception {
    OpenSearchSettings settings = settingsFor("catalog-updates");
    try (OpenSearchCatalogSearch search = openSearchOn(settings.index());
        OpenSearchConnection connection = OpenSearchConnection.open(settings, settings.indexTimeout())) {
      CatalogIndexSync sync = new CatalogIndexSync(vertx, connection.client(), settings, embedder);
      CatalogIndexSync.Outcome first = await(sync.sync(catalog));
      assertEquals(new CatalogIndexSync.Outcome(catalog.size(), 0, 0), first);
      String question = "lighthouse keeper training carrier pigeons";
      assertFalse(ids(ask(search, question)).contains("test-title-zeta"));

      // the catalog gains a title, loses one and one synopsis changes: only those three documents are touched
      Catalog updated = changed(catalog);
      CatalogIndexSync.Outcome second = await(sync.sync(updated));
      assertEquals(new CatalogIndexSync.Outcome(2, 1, catalog.size() - 2), second);
      await(search.index(updated)); // the path the orchestrator takes on mangaassist.catalog.updated

      assertEquals("test-title-zeta", ids(ask(search, question)).get(0));
      assertEquals("dorohedoro", ids(ask(search, "a sorcerer whose head became a tortoise shell")).get(0),
          "the changed synopsis is what BM25 and the embedding now find");
      assertFalse(ids(ask(search, "Monster Naoki Urasawa", 20)).contains("monster"), "the removed title is gone");
      assertEquals("one-piece", ids(ask(search, "one piece")).get(0), "the other titles are still there");
    }
  }

  @Test
  void searchesKeepAnsweringWhileTheCatalogIsRewritten() throws Exception {
    try (OpenSearchCatalogSearch search = openSearchOn("catalog-rewrite")) {
      // a third of the catalog keeps this test quick; every one of its documents is rewritten
      List<CatalogTitle> some = catalog.titles().subList(0, 120);
      await(search.index(new Catalog(catalog.version(), some)));
      List<CatalogTitle> retitled = new ArrayList<>();
      for (CatalogTitle t : some) {
        retitled.add(withSynopsis(t, t.synopsis() + " Reissued."));
      }
      Future<Void> rewrite = search.index(new Catalog(catalog.version() + 1, retitled));
      float[] pirate = embedder.embed("pirate");
      int answered = 0;
      while (!rewrite.isComplete()) {
        // one shopper after the other, each waiting for the answer, as a chat turn does
        assertEquals(5, await(search.search("pirate", pirate, 5)).size(), "a search during the rewrite");
        answered++;
      }
      await(rewrite);
      assertTrue(answered > 0, "searches ran while the catalog was rewritten");
    }
  }

  @Test
  void aNodeThatCannotBeReachedFailsTheSearchQuickly() throws Exception {
    JsonObject config = new JsonObject().put("opensearch", new JsonObject()
        .put("url", "http://127.0.0.1:" + closedPort()).put("index", "unreachable").put("connectTimeoutMs", 500));
    try (OpenSearchCatalogSearch unreachable = new OpenSearchCatalogSearch(vertx, embedder, config)) {
      long start = System.nanoTime();
      assertThrows(ExecutionException.class, () -> ask(unreachable, "one piece"));
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 5000);
      assertTrue(unreachable.index(catalog).toCompletionStage().toCompletableFuture()
          .handle((ok, e) -> e != null).get(30, TimeUnit.SECONDS), "indexing fails (and retries in the background)");
      await(unreachable.open(catalog)); // but opening does not keep a node from starting
    }
  }

  @Test
  void requestsToAmazonOpenSearchAreSignedWithSigV4(@TempDir Path dir) throws Exception {
    // The node behind an HTTPS proxy that records what arrives, as the Service's endpoint would receive it; the
    // credentials come from the default chain (here its first link, system properties), as they would on AWS.
    String password = "proxy-store-pass";
    Path[] stores = RecordingTlsProxy.selfSigned(dir, password);
    Map<String, String> properties = Map.of(
        "aws.accessKeyId", "AKIDMANGAASSISTTEST", "aws.secretAccessKey", "not-a-real-secret",
        "aws.disableEc2Metadata", "true", // never reach for an instance role from a test
        "javax.net.ssl.trustStore", stores[1].toString(), "javax.net.ssl.trustStorePassword", password,
        "javax.net.ssl.trustStoreType", "PKCS12");
    Map<String, String> previous = new java.util.HashMap<>();
    properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
    try (RecordingTlsProxy proxy = RecordingTlsProxy.start(vertx, node.httpPort(), stores[0], password);
        OpenSearchCatalogSearch signed = new OpenSearchCatalogSearch(vertx, embedder, new JsonObject()
            .put("opensearch", new JsonObject()
                .put("url", "https://127.0.0.1:" + proxy.port()).put("index", "catalog-signed")
                .put("searchTimeoutMs", TEST_SEARCH_TIMEOUT_MS)
                .put("aws", new JsonObject().put("sign", true).put("region", "us-west-2").put("service", "aoss"))))) {
      await(signed.index(new Catalog(catalog.version(), catalog.titles().subList(0, 30))));
      // Serverless (aoss) is asked for no refresh: the titles become searchable at the node's next refresh
      List<String> found = List.of();
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          found.isEmpty() && System.nanoTime() < deadline; Thread.sleep(200)) {
        found = ids(ask(signed, "one piece"));
      }
      assertEquals("one-piece", found.isEmpty() ? "nothing" : found.get(0), "a signed search reaches the node; "
          + "requests: " + proxy.received().stream().map(r -> r.method() + " " + r.uri()).toList());
      assertTrue(proxy.received().stream().noneMatch(r -> r.uri().contains("refresh=")), "no refresh asked of aoss");

      List<RecordingTlsProxy.Received> requests = proxy.received();
      assertTrue(requests.size() >= 4, "exists, create, fingerprints, bulk, msearch: " + requests.size());
      for (RecordingTlsProxy.Received request : requests) {
        String authorization = request.headers().get("authorization");
        assertNotNull(authorization, request.method() + " " + request.uri() + " is unsigned");
        assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDMANGAASSISTTEST/"), authorization);
        assertTrue(authorization.contains("/us-west-2/aoss/aws4_request"), authorization);
        assertEquals(SigV4.expectedSignature(request, proxy.port(), "AKIDMANGAASSISTTEST", "not-a-real-secret",
            "us-west-2", "aoss"), SigV4.signatureOf(authorization), "signature of " + request.method() + " "
            + request.uri() + " with headers " + request.headers().entries());
      }
    } finally {
      previous.forEach((key, value) -> {
        if (value == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, value);
        }
      });
    }
  }

  @Test
  void aClosedSearchRefusesNewWork() throws Exception {
    OpenSearchCatalogSearch search = openSearchOn("catalog-closed");
    search.close();
    assertTrue(search.search("one piece", null, 5).failed());
    assertTrue(search.index(catalog).failed());
  }

  // --- helpers

  private static OpenSearchCatalogSearch openSearchOn(String index) {
    return new OpenSearchCatalogSearch(vertx, embedder, new JsonObject()
        .put("opensearch", new JsonObject().put("url", node.url()).put("index", index)
            .put("searchTimeoutMs", TEST_SEARCH_TIMEOUT_MS)));
  }

  private static OpenSearchSettings settingsFor(String index) {
    return OpenSearchSettings.fromJson(new JsonObject().put("url", node.url()).put("index", index));
  }

  private static Catalog changed(Catalog base) {
    List<CatalogTitle> titles = new ArrayList<>();
    for (CatalogTitle title : base.titles()) {
      if (title.titleId().equals("monster")) {
        continue;
      }
      titles.add(title.titleId().equals("dorohedoro")
          ? withSynopsis(title, "A sorcerer's head became a tortoise shell; a lizard-headed man hunts him in the Hole.")
          : title);
    }
    titles.add(new CatalogTitle("test-title-zeta", "Test Title Zeta", "Tesuto Taitoru Zeta", List.of(), "Nobody Real",
        List.of("drama", "sci-fi"), "seinen", "ongoing", "Test Press", 2026, 1, 1, LocalDate.of(2026, 1, 1), 700,
        Map.of(1, 5), "A retired lighthouse keeper on a frozen moon trains carrier pigeons to deliver poems to a lost "
        + "submarine crew."));
    return new Catalog(base.version() + 1, titles);
  }

  private static CatalogTitle withSynopsis(CatalogTitle t, String synopsis) {
    return new CatalogTitle(t.titleId(), t.title(), t.romaji(), t.aliases(), t.author(), t.genres(), t.demographic(),
        t.status(), t.publisher(), t.startYear(), t.volumes(), t.latestVolume(), t.latestReleaseDate(), t.priceJpy(),
        t.stock(), synopsis);
  }

  private static List<SearchHit> ask(CatalogSearch search, String text) throws Exception {
    return ask(search, text, 5);
  }

  private static List<SearchHit> ask(CatalogSearch search, String text, int k)
      throws Exception {
    return await(search.search(text, embedder.embed(text), k));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::titleId).toList();
  }

  private static String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
  }

}
