package com.mangaassist.retrieval;

import io.vertx.core.Future;
import java.util.List;

/**
 * What every backend answers before it searches at all, so they answer it alike: a closed search and an embedding of
 * the wrong size fail, asking for no titles finds none.
 */
public final class SearchPreconditions {

  private SearchPreconditions() {}

  /** The answer to give without searching, or null when the search should run. */
  public static Future<List<SearchHit>> answerWithoutSearching(boolean closed, float[] embedding, int dimensions,
      int k) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("catalog search is closed"));
    }
    if (embedding != null && embedding.length != dimensions) {
      return Future.failedFuture(new IllegalArgumentException(
          "embedding has " + embedding.length + " dimensions, the index " + dimensions));
    }
    return k <= 0 ? Future.succeededFuture(List.of()) : null;
  }
}
