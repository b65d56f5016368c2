package com.mangaassist.retrieval;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.embed.MiniLmEmbedder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures (never asserts) embedding, search and index build times on this machine. Off by default because it only
 * prints: {@code mvn -o -q test -pl shared -am -Dtest='RetrievalTimingsTest' -Dretrieval.timings=true}.
 */
@EnabledIfSystemProperty(named = "retrieval.timings", matches = "true")
class RetrievalTimingsTest {

  @Test
  void printTimings() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      long loadStart = System.nanoTime();
      MiniLmEmbedder embedder = SearchFixture.await(MiniLmEmbedder.load(vertx));
      double loadMs = millisSince(loadStart);

      for (int i = 0; i < 50; i++) {
        embedder.embed("warm-up question " + i);
      }
      double[] embedMs = new double[200];
      for (int i = 0; i < embedMs.length; i++) {
        long start = System.nanoTime();
        embedder.embed("is the latest volume of jjk in stock?");
        embedMs[i] = millisSince(start);
      }

      Catalog catalog = Catalog.read(SearchFixture.repoFile("conf/catalog/catalog.json"));
      try (LuceneCatalogSearch search = new LuceneCatalogSearch(vertx, embedder, new JsonObject())) {
        long indexStart = System.nanoTime();
        SearchFixture.await(search.index(catalog));
        double indexMs = millisSince(indexStart);

        List<String> queries = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (var line : java.nio.file.Files.readAllLines(SearchFixture.repoFile("conf/eval/retrieval.jsonl"))) {
          if (!line.isBlank()) {
            String query = new JsonObject(line).getString("query");
            queries.add(query);
            embeddings.add(embedder.embed(query));
          }
        }
        for (int i = 0; i < queries.size(); i++) {
          SearchFixture.await(search.search(queries.get(i), embeddings.get(i), 5));
        }
        // One search at a time, including the hop to a worker thread and back, as a caller sees it.
        double[] searchMs = new double[queries.size() * 10];
        for (int round = 0, n = 0; round < 10; round++) {
          for (int i = 0; i < queries.size(); i++, n++) {
            long start = System.nanoTime();
            SearchFixture.await(search.search(queries.get(i), embeddings.get(i), 5));
            searchMs[n] = millisSince(start);
          }
        }
        System.out.printf("model load %.0f ms%n", loadMs);
        System.out.printf("embed short query: median %.2f ms, p99 %.2f ms (n=%d)%n",
            percentile(embedMs, 50), percentile(embedMs, 99), embedMs.length);
        System.out.printf("search (k=5): median %.2f ms, p99 %.2f ms (n=%d)%n",
            percentile(searchMs, 50), percentile(searchMs, 99), searchMs.length);
        System.out.printf("index build %d titles (embed + write): %.0f ms%n", catalog.size(), indexMs);
      }
    } finally {
      SearchFixture.await(vertx.close());
    }
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
