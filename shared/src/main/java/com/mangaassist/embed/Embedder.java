package com.mangaassist.embed;

import java.util.List;

/**
 * Sentence embeddings computed in-process. Calls are CPU work of a few milliseconds: run them on a worker
 * ({@code executeBlocking}), never on an event loop. Implementations are thread-safe; vectors are L2-normalised,
 * so the dot product is the cosine similarity.
 */
public interface Embedder {

  float[] embed(String text);

  default List<float[]> embedAll(List<String> texts) {
    return texts.stream().map(this::embed).toList();
  }

  int dimensions();
}
