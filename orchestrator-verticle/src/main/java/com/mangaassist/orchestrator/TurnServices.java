package com.mangaassist.orchestrator;

import com.mangaassist.embed.Embedder;
import com.mangaassist.embed.EmbeddingMemo;
import com.mangaassist.intent.IntentClassifier;
import com.mangaassist.metrics.StreamingMetrics;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.retrieval.CatalogSearch;
import com.mangaassist.store.PrecomputeStore;
import com.mangaassist.store.ProfileStore;
import com.mangaassist.store.SemanticCache;
import com.mangaassist.store.SessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Everything a turn needs, built once per verticle and shared by all its connections. */
record TurnServices(
    Vertx vertx,
    ModelClient model,
    ModelBreakers breakers,
    String fallbackModel,
    JsonObject modelIds,
    PromptLibrary prompts,
    RoutingTable routing,
    Embedder embedder,
    EmbeddingMemo embeddings,
    IntentClassifier intents,
    EarlyStart earlyStart,
    CatalogKnowledge knowledge,
    CatalogSearch search,
    SemanticCache cache,
    PrecomputeStore precomputed,
    double precomputeThreshold,
    SessionRegistry sessionsHere,
    SessionStore sessions,
    ProfileStore profiles,
    StreamingMetrics metrics,
    StreamingOptions streaming,
    FanOutOptions fanOut,
    PipelineSwitches switches,
    String cardImagePattern) {

  /** Bedrock model id for a routing key such as {@code haiku}; unknown keys are taken as full ids. */
  String modelId(String key) {
    return modelIds.getString(key, key);
  }

  /**
   * The text's embedding: remembered from an earlier turn, or computed on a worker (a few milliseconds of CPU that
   * must not hold the event loop). One at a time per context ({@code ordered}), which leaves the other core to the
   * event loops, retrieval and Redis replies: bench pipeline, 8 sockets, side by side, pre-model p99 35–36 ms ordered
   * against 44 ms unordered (one ONNX thread per call); 39 against 49–53 ms with ONNX's default threads.
   */
  Future<float[]> embed(String text) {
    float[] known = embeddings.get(text);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return vertx.executeBlocking(() -> embeddings.embed(text, embedder), true);
  }
}
