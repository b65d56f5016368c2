package com.mangaassist.model;

import io.vertx.core.Future;

/**
 * A streaming large-language-model client. Implementations call Bedrock (or anything speaking its wire protocol).
 *
 * <p>Threading contract: {@link #stream} must be called on a Vert.x context (an event loop); every callback of the
 * listener is then delivered on that same context, in order, and at most one terminal callback
 * ({@code onComplete} or {@code onError}) is delivered. After {@link ModelStream#cancel()} no callback is delivered.
 */
public interface ModelClient extends AutoCloseable {

  /** Starts one generation; returns a handle whose {@code cancel()} stops the model stream at once. */
  ModelStream stream(ModelRequest request, ModelStreamListener listener);

  /** One cheap invocation that opens (or keeps) a warm connection to the model endpoint. */
  Future<Void> warmUp(String modelId);

  @Override
  void close();
}
