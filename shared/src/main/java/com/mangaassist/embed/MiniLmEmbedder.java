package com.mangaassist.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The quantized all-MiniLM-L6-v2 sentence encoder (384 dimensions), run in-process with ONNX Runtime.
 *
 * <p>The constructor reads the ~23 MB model from the classpath and builds an ONNX session, which takes a few seconds:
 * construct it off the event loop, preferably through {@link #load(Vertx)}. One instance is meant to be shared by the
 * whole process; the ONNX session is thread-safe.
 */
public final class MiniLmEmbedder implements Embedder {

  public static final int DIMENSIONS = 384;

  private final EmbeddingModel model;

  /** Blocking: loads the model. Call from a worker thread or at start-up, never from an event loop. */
  public MiniLmEmbedder() {
    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** Loads the model on a worker thread. */
  public static Future<MiniLmEmbedder> load(Vertx vertx) {
    // ordered=false: loading must not queue behind (or hold up) other blocking work of the calling context
    return vertx.executeBlocking(MiniLmEmbedder::new, false);
  }

  @Override
  public float[] embed(String text) {
    return normalized(model.embed(safe(text)).content());
  }

  /**
   * The encoder runs one sequence per ONNX call (no padded tensor batches), so the model's own {@code embedAll}
   * spreads the texts over its small internal thread pool (one thread per core); we delegate to it rather than
   * looping here, which would use a single core.
   */
  @Override
  public List<float[]> embedAll(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(safe(t))).toList();
    List<Embedding> embeddings = model.embedAll(segments).content();
    List<float[]> vectors = new ArrayList<>(embeddings.size());
    for (Embedding embedding : embeddings) {
      vectors.add(normalized(embedding));
    }
    return vectors;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  // The ONNX wrapper already normalises, but the Embedder contract promises unit vectors, so we do not rely on it.
  private static float[] normalized(Embedding embedding) {
    return Vectors.normalize(embedding.vector());
  }

  // TextSegment rejects blank text; a blank question still deserves a (meaningless but valid) vector.
  private static String safe(String text) {
    return text == null || text.isBlank() ? "?" : text;
  }
}
