package com.mangaassist.retrieval;

import io.vertx.core.Future;
import java.util.List;

/** A catalog search begun on the question's words ({@link CatalogSearch#begin}), finished once it is embedded. */
@FunctionalInterface
public interface PendingSearch {

  /**
   * The best titles, best first: what {@link CatalogSearch#search} finds for the same text and {@code embedding}
   * (null: by the words alone).
   */
  Future<List<SearchHit>> finish(float[] embedding);
}
