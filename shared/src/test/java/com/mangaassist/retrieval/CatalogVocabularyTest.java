package com.mangaassist.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which words of a question are matched with typos: only those the catalog does not spell that way. */
class CatalogVocabularyTest {

  private static final HybridSearchSettings SETTINGS = HybridSearchSettings.fromJson(new JsonObject());
  private static CatalogVocabulary vocabulary;

  @BeforeAll
  static void readCatalog() throws Exception {
    vocabulary = CatalogVocabulary.of(Catalog.read(SearchFixture.repoFile("conf/catalog/catalog.json")).titles());
  }

  @Test
  void aWordSpelledAsTheCatalogSpellsItIsMatchedExactlyAndATypoStillFuzzily() {
    Map<String, Integer> edits = edits("dark fantasy like Berserk by Kentaro Miura, or Fulmetal Alchemst");
    assertEquals(0, edits.get("berserk"), "terms: " + edits);
    assertEquals(0, edits.get("fantasi"), "terms: " + edits);
    assertEquals(0, edits.get("kentaro"), "terms: " + edits);
    assertTrue(edits.get("fulmet") > 0, "terms: " + edits);
    assertTrue(edits.get("alchemst") > 0, "terms: " + edits);
  }

  @Test
  void beforeACatalogIsKnownEveryLongWordMayBeATypo() {
    Map<String, Integer> edits = KeywordQuery.of("dark fantasy like Berserk", SETTINGS, CatalogVocabulary.EMPTY).terms()
        .stream().collect(Collectors.toMap(KeywordQuery.Term::text, KeywordQuery.Term::fuzzyEdits));
    assertTrue(edits.get("berserk") > 0, "terms: " + edits);
    assertEquals(0, edits.get("dark"), "short words never: " + edits);
  }

  @Test
  void typoMatchingSwitchedOffMatchesNothingFuzzily() {
    HybridSearchSettings off = HybridSearchSettings.fromJson(new JsonObject().put("fuzzyNames", false));
    assertTrue(KeywordQuery.of("Fulmetal Alchemst", off, vocabulary).terms().stream().allMatch(t -> t.fuzzyEdits() == 0));
  }

  private static Map<String, Integer> edits(String question) {
    return KeywordQuery.of(question, SETTINGS, vocabulary).terms().stream()
        .collect(Collectors.toMap(KeywordQuery.Term::text, KeywordQuery.Term::fuzzyEdits));
  }
}
