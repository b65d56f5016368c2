package com.mangaassist.benchmark.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.intent.EntityResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticQueriesTest {

  private static final Catalog CATALOG = read();

  private static Catalog read() {
    try {
      return Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static SyntheticQueries shipped(long seed) throws Exception {
    return SyntheticQueries.load(ConfigFiles.confDir().resolve("bench/synthetic.json"), CATALOG, seed);
  }

  @Test
  void sameSeedSameQuestionsOtherSeedOtherQuestions() throws Exception {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    List<String> c = new ArrayList<>();
    SyntheticQueries first = shipped(7);
    SyntheticQueries second = shipped(7);
    SyntheticQueries third = shipped(8);
    for (int i = 0; i < 50; i++) {
      a.add(first.next("availability").text());
      b.add(second.next("availability").text());
      c.add(third.next("availability").text());
    }
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void everyPlaceholderIsFilledAndNamedTitlesResolveToTheTitleAskedAbout() throws Exception {
    SyntheticQueries queries = shipped(1);
    EntityResolver resolver = new EntityResolver(CATALOG);
    int aboutTitles = 0;
    int resolvedRight = 0;
    for (String intent : queries.intents()) {
      for (int i = 0; i < 40; i++) {
        SyntheticQueries.Query query = queries.next(intent);
        assertFalse(query.text().contains("{"), query.text());
        assertEquals(intent, query.intent());
        if (query.titleId() != null) {
          aboutTitles++;
          if (resolver.resolve(query.text(), null).titleIds().contains(query.titleId())) {
            resolvedRight++;
          }
        }
      }
    }
    // real titles in real phrasings: the server's own resolver finds nearly all of them
    assertTrue(aboutTitles > 100, "questions about titles: " + aboutTitles);
    assertTrue(resolvedRight >= 0.95 * aboutTitles, resolvedRight + " of " + aboutTitles);
  }

  @Test
  void theWeightedMixFollowsTheWeights() throws Exception {
    SyntheticQueries queries = shipped(3);
    Map<String, Integer> counts = new HashMap<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      counts.merge(queries.nextByWeight().intent(), 1, Integer::sum);
    }
    // product_info weighs 16 of 100, greeting 4 of 100 in conf/bench/synthetic.json
    assertEquals(0.16, counts.get("product_info") / (double) n, 0.015);
    assertEquals(0.04, counts.get("greeting") / (double) n, 0.008);
    assertEquals(queries.intents().size(), counts.size());
  }
}
