package com.mangaassist.model;

import com.mangaassist.emulator.EmulatorVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/** Deploys the real emulator in-process with fast, jitter-free profiles and builds client configs for it. */
final class ModelTestSupport {

  static final String HAIKU = BedrockClientSettings.HAIKU_ID;
  static final String SONNET = BedrockClientSettings.SONNET_ID;
  /** Slow enough to cancel mid-stream reliably. */
  static final String SLOW = "test.slow-model-v1:0";

  static JsonObject fastProfile() {
    return new JsonObject().put("ttftMs", 20).put("msPerInputToken", 0).put("tokensPerSecond", 2000).put("jitter", 0);
  }

  static JsonObject emulatorConfig(long coldStartPenaltyMs, long newConnectionPenaltyMs) {
    return new JsonObject()
        .put("port", 0)
        .put("coldStartPenaltyMs", coldStartPenaltyMs)
        .put("newConnectionPenaltyMs", newConnectionPenaltyMs)
        .put("profiles", new JsonObject()
            .put("default", fastProfile())
            .put(HAIKU, fastProfile())
            .put(SONNET, fastProfile())
            .put(SLOW, fastProfile().put("tokensPerSecond", 20)));
  }

  static int deployEmulator(Vertx vertx, JsonObject config) {
    EmulatorVerticle emulator = new EmulatorVerticle();
    vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config)).await();
    return emulator.actualPort();
  }

  /** conf/model.json pointed at the emulator, with quick retries so tests stay short. */
  static JsonObject clientConfig(int port) {
    return new JsonObject()
        .put("endpoint", "http://127.0.0.1:" + port)
        .put("region", "us-east-1")
        .put("http", new JsonObject().put("protocol", "h2"))
        .put("retry", new JsonObject().put("maxAttempts", 3).put("baseDelayMs", 20).put("maxDelayMs", 100)
            .put("deadlineMs", 5000));
  }

  static ModelRequest catalogRequest(String modelId) {
    String prompt = "Which pirate manga do you have?\n<catalog>\n"
        + "title: One Piece | author: Eiichiro Oda | volume: 108 | priceJpy: 528 | inStock: true\n"
        + "</catalog>";
    return ModelRequest.of(modelId, "You are MangaAssist.", List.of(ChatMessage.user(prompt)), 400);
  }

  /** Starts a stream on a fresh event-loop context, as a verticle would. */
  static ModelStream startOnContext(Context context, Function<Void, ModelStream> start) throws Exception {
    java.util.concurrent.CompletableFuture<ModelStream> handle = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        handle.complete(start.apply(null));
      } catch (RuntimeException e) {
        handle.completeExceptionally(e);
      }
    });
    return handle.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  private ModelTestSupport() {}
}
