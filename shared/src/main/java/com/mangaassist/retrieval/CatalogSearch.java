package com.mangaassist.retrieval;

import com.mangaassist.catalog.Catalog;
import io.vertx.core.Future;
import java.util.List;

/**
 * Finds catalog titles for a shopper's question: vector similarity over the question's embedding fused with BM25
 * over its words. The embedded Lucene index is the default; an OpenSearch backend drops in behind the same interface.
 */
public interface CatalogSearch extends AutoCloseable {

  /**
   * The best {@code k} titles, best first. {@code embedding} is the question's (normalised) embedding, computed by
   * the caller once and shared with the other fan-out branches.
   */
  Future<List<SearchHit>> search(String text, float[] embedding, int k);

  /**
   * Begins a search whose embedding is still being made. A backend that ranks the words on their own starts on them
   * now (the embedded index does), so that only the vector half waits for the embedding; by default all of it waits.
   * The result is {@link #search}'s for the same arguments.
   */
  default PendingSearch begin(String text, int k) {
    return embedding -> search(text, embedding, k);
  }

  /**
   * The embedding the index holds for a title (its name, author, genres and synopsis), or null when the backend
   * cannot hand it out cheaply. Lets a question about a named title search near that title without a second
   * embedding of the question.
   */
  default float[] titleVector(String titleId) {
    return null;
  }

  /** Rebuilds the index for a new catalog snapshot; searches keep answering from the old one until it is ready. */
  Future<Void> index(Catalog catalog);

  /**
   * Makes the first catalog searchable before the node takes traffic. The embedded index is built here and a failure
   * fails the start; a remote backend that cannot be reached yet must not keep the chat from starting, so it may
   * succeed at once and keep indexing in the background.
   */
  default Future<Void> open(Catalog catalog) {
    return index(catalog);
  }

  /** Which backend answers ({@code lucene}, {@code opensearch}), for {@code /ready}. */
  String backend();

  @Override
  void close();
}
