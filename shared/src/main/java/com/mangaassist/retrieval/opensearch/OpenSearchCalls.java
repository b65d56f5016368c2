package com.mangaassist.retrieval.opensearch;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.opensearch.client.opensearch._types.OpenSearchException;

/** Bridges the client's {@link CompletableFuture}s to Vert.x futures completing on the caller's context. */
final class OpenSearchCalls {

  /** One request of the asynchronous client (whose methods declare an {@link IOException} they throw eagerly). */
  @FunctionalInterface
  interface Call<T> {
    CompletableFuture<T> start() throws IOException;
  }

  private OpenSearchCalls() {}

  static <T> Future<T> call(Context context, Call<T> call) {
    try {
      return Future.fromCompletionStage(call.start(), context).recover(e -> Future.failedFuture(unwrap(e)));
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The OpenSearch error type ({@code index_not_found_exception}, …) of a failure, or null for any other failure. */
  static String errorType(Throwable failure) {
    return unwrap(failure) instanceof OpenSearchException e && e.error() != null ? e.error().type() : null;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }
}
