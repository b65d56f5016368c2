package com.mangaassist.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a shopper notices of the search: named titles come first, odd input is harmless, catalog updates show up. */
class LuceneCatalogSearchTest {

  private static final String ZETA_SYNOPSIS =
      "A retired lighthouse keeper on a frozen moon trains carrier pigeons to deliver poems to a lost submarine crew.";

  private static SearchFixture fixture;

  @BeforeAll
  static void indexCatalog() throws Exception {
    fixture = SearchFixture.indexed(new JsonObject());
  }

  @AfterAll
  static void close() throws Exception {
    fixture.close();
  }

  @ParameterizedTest
  @CsvFileSource(resources = "/retrieval/named-titles.csv")
  void namingATitleFindsItFirst(String query, String titleId) throws Exception {
    assertEquals(titleId, fixture.askIds(query, 5).get(0), "top hit for \"" + query + "\"");
  }

  @Test
  void resultsAreAtMostKAndBestFirst() throws Exception {
    List<SearchHit> hits = fixture.ask("volleyball", 3);
    assertEquals(3, hits.size());
    assertEquals("haikyu", hits.get(0).titleId());
    assertTrue(hits.get(0).score() >= hits.get(1).score() && hits.get(1).score() >= hits.get(2).score());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "?!", "AoT?!", "\"", "\"unclosed quote", "title:(a OR", "*", "?", "AND OR NOT",
      "~~~^^^", "\\", "[1 TO", "{}[]()", "a:b:c", "/regex/", "🙂🙂🙂", "nul\u0000byte", "-", "+-&&||!"})
  void oddInputGivesResultsOrNothingButNeverAnError(String text) throws Exception {
    List<SearchHit> withEmbedding = fixture.ask(text, 5);
    assertTrue(withEmbedding.size() <= 5);
    List<SearchHit> wordsOnly = SearchFixture.await(fixture.search.search(text, null, 5));
    assertTrue(wordsOnly.size() <= 5);
  }

  @Test
  void aPastedEssayOf4000CharactersIsSearchable() throws Exception {
    StringBuilder essay = new StringBuilder();
    String[] words = {"pirate", "ninja", "title:(x", "OR", "volleyball", "\"", "love*", "~2", "school", "AoT?!"};
    for (int i = 0; essay.length() < 4000; i++) {
      essay.append(words[i % words.length]).append(i).append(' ');
    }
    assertEquals(5, fixture.ask(essay.substring(0, 4000), 5).size());
  }

  @Test
  void punctuationAroundAnAliasStillFindsTheTitle() throws Exception {
    assertTrue(fixture.askIds("AoT?!", 3).contains("attack-on-titan"));
  }

  @Test
  void kOfZeroOrAWrongSizedEmbeddingAreHandledWithoutSearching() throws Exception {
    assertEquals(List.of(), SearchFixture.await(fixture.search.search("one piece", fixture.embedder.embed("x"), 0)));
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> SearchFixture.await(fixture.search.search("one piece", new float[3], 5)));
    assertInstanceOf(IllegalArgumentException.class, failure.getCause());
  }

  @Test
  void beforeTheFirstIndexSearchesAnswerEmpty() throws Exception {
    try (LuceneCatalogSearch empty = new LuceneCatalogSearch(fixture.vertx, fixture.embedder, new JsonObject())) {
      assertEquals(List.of(), SearchFixture.await(empty.search("one piece", fixture.embedder.embed("one piece"), 5)));
      assertEquals("lucene", empty.backend());
    }
  }

  @Test
  void reindexingMakesANewTitleSearchableWhileSearchesKeepAnswering() throws Exception {
    // A separate instance, so the shared index of the other tests stays the real catalog.
    try (LuceneCatalogSearch search = new LuceneCatalogSearch(fixture.vertx, fixture.embedder, new JsonObject())) {
      SearchFixture.await(search.index(fixture.catalog));
      String question = "lighthouse keeper training carrier pigeons";
      float[] embedding = fixture.embedder.embed(question);
      assertFalse(ids(SearchFixture.await(search.search(question, embedding, 5))).contains("test-title-zeta"));

      Future<Void> reindex = search.index(withZeta(fixture.catalog));
      float[] pirate = fixture.embedder.embed("pirate");
      List<Future<List<SearchHit>>> during = new ArrayList<>();
      while (!reindex.isComplete()) {
        during.add(search.search("pirate", pirate, 5));
        Thread.sleep(5); // a steady trickle of shoppers, not a flood that would starve the re-index
      }
      SearchFixture.await(reindex);
      assertTrue(during.size() > 0);
      for (Future<List<SearchHit>> answer : during) {
        assertEquals(5, SearchFixture.await(answer).size(), "a search during the re-index answered from some index");
      }

      assertEquals("test-title-zeta", ids(SearchFixture.await(search.search(question, embedding, 5))).get(0));
      assertEquals("one-piece", ids(SearchFixture.await(search.search("one piece",
          fixture.embedder.embed("one piece"), 5))).get(0), "the old titles are still there");
    }
  }

  /**
   * A turn begins its search on the words while the question is embedded: finished with the embedding, it finds what
   * one search finds, hit for hit and score for score, for every question of the retrieval evaluation.
   */
  @Test
  void aSearchBegunOnTheWordsFindsWhatOneSearchFinds() throws Exception {
    List<RetrievalEval.Question> questions = RetrievalEval.questions(fixture.catalog);
    assertTrue(questions.size() > 50);
    for (RetrievalEval.Question question : questions) {
      float[] embedding = fixture.embedder.embed(question.query());
      PendingSearch begun = fixture.search.begin(question.query(), 5);
      assertEquals(SearchFixture.await(fixture.search.search(question.query(), embedding, 5)),
          SearchFixture.await(begun.finish(embedding)), question.query());
    }
    assertEquals(SearchFixture.await(fixture.search.search("volleyball", null, 3)),
        SearchFixture.await(fixture.search.begin("volleyball", 3).finish(null)), "by the words alone");
    ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> SearchFixture.await(fixture.search.begin("one piece", 5).finish(new float[3])));
    assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    try (LuceneCatalogSearch empty = new LuceneCatalogSearch(fixture.vertx, fixture.embedder, new JsonObject())) {
      assertEquals(List.of(), SearchFixture.await(empty.begin("one piece", 5).finish(fixture.embedder.embed("x"))));
    }
  }

  @Test
  void aClosedSearchRefusesNewWork() throws Exception {
    LuceneCatalogSearch search = new LuceneCatalogSearch(fixture.vertx, fixture.embedder, new JsonObject());
    search.close();
    assertTrue(search.search("one piece", null, 5).failed());
    assertTrue(search.begin("one piece", 5).finish(null).failed());
    assertTrue(search.index(fixture.catalog).failed());
  }

  private static Catalog withZeta(Catalog catalog) {
    List<CatalogTitle> titles = new ArrayList<>(catalog.titles());
    titles.add(new CatalogTitle("test-title-zeta", "Test Title Zeta", "Tesuto Taitoru Zeta", List.of(), "Nobody Real",
        List.of("drama", "sci-fi"), "seinen", "ongoing", "Test Press", 2026, 1, 1, LocalDate.of(2026, 1, 1), 700,
        Map.of(1, 5), ZETA_SYNOPSIS));
    return new Catalog(catalog.version() + 1, titles);
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::titleId).toList();
  }
}
