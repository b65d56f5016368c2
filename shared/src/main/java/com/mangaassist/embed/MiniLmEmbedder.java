package com.mangaassist.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    this.model = new Model(encoder());
  }

  /*
   * ONNX Runtime's defaults run each call on one thread per core that then spin, waiting for the next call: on two
   * cores a 1.2 ms embedding burnt 2.7 ms of CPU, taken from the event loops streaming answers beside it. One thread
   * per call and no spinning: 1.7 ms for one call alone, 2.0 ms of CPU, and two callers at once embed 938/s (p99
   * 6.3 ms) against 674/s (p99 9.9 ms) with the defaults (2,000 embeddings, measured side by side; docs/PERFORMANCE.md).
   * Batches (embedAll) still use every core, one text per thread.
   */
  private static OnnxBertBiEncoder encoder() {
    try (InputStream model = resource("/all-minilm-l6-v2-q.onnx");
        InputStream tokenizer = resource("/all-minilm-l6-v2-q-tokenizer.json");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      return new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(), options), tokenizer,
          PoolingMode.MEAN);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MiniLM model from the classpath", e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot start the MiniLM model", e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream stream = MiniLmEmbedder.class.getResourceAsStream(name);
    if (stream == null) {
      throw new IOException(name + " is not on the classpath");
    }
    return stream;
  }

  /** The encoder with langchain4j's batching: {@code embedAll} spreads texts over one thread per core. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(null);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }
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
