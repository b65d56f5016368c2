package com.mangaassist.model;

import static com.mangaassist.model.ModelTestSupport.HAIKU;
import static com.mangaassist.model.ModelTestSupport.SONNET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Warm-up pays the emulator's cold-start and new-connection penalties so real requests do not. Asserted on the
 * emulator-reported firstByteLatency, which is exact with jitter 0 (TTFT 20 ms + cold 400 ms + new connection 100 ms).
 */
@ExtendWith(VertxExtension.class)
class BedrockWarmUpTest {

  private static final long TTFT = 20;
  private static final long COLD = 400;
  private static final long NEW_CONNECTION = 100;

  private static Vertx vertx;
  private static int port;

  @BeforeAll
  static void deploy(Vertx injected) {
    vertx = injected;
    port = ModelTestSupport.deployEmulator(vertx, ModelTestSupport.emulatorConfig(COLD, NEW_CONNECTION));
  }

  @Test
  void withoutWarmUpTheFirstStreamPaysColdStartAndConnectionSetup() throws Exception {
    try (BedrockModelClient client = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(port))) {
      assertEquals(TTFT + COLD + NEW_CONNECTION, firstByteLatency(client, SONNET));
      assertEquals(TTFT, firstByteLatency(client, SONNET), "the second stream reuses the warm model and connection");
    }
  }

  @Test
  void afterWarmUpTheFirstStreamIsFast() throws Exception {
    try (BedrockModelClient client = new BedrockModelClient(vertx, ModelTestSupport.clientConfig(port))) {
      client.warmUp("haiku").await();
      assertEquals(TTFT, firstByteLatency(client, HAIKU));
    }
  }

  @Test
  void keepAliveWarmsAtStartAndEstimatesItsCost() throws Exception {
    String model = "test.keepalive-model-v1:0";
    JsonObject config = ModelTestSupport.clientConfig(port)
        .put("models", new JsonObject().put("tiny", model))
        .put("keepAlive", new JsonObject().put("enabled", true).put("intervalSeconds", 240).put("model", "tiny"));
    try (BedrockModelClient client = new BedrockModelClient(vertx, config)) {
      String deployment = vertx.deployVerticle(new ModelKeepAlive(client), new DeploymentOptions().setConfig(config))
          .await();
      assertEquals(TTFT, firstByteLatency(client, model), "keep-alive already warmed model and connection");
      vertx.undeploy(deployment).await();
    }

    ModelKeepAlive.MonthlyCost cost = ModelKeepAlive.estimateMonthlyCost(240);
    assertEquals(10_800, cost.invocations());
    assertEquals(108_000, cost.inputTokens());
    assertEquals(10_800, cost.outputTokens());
    assertEquals(0.0405, cost.usd(), 1e-9);
  }

  private static long firstByteLatency(BedrockModelClient client, String modelId) throws Exception {
    RecordingListener listener = new RecordingListener();
    ModelTestSupport.startOnContext(vertx.getOrCreateContext(),
        v -> client.stream(ModelTestSupport.catalogRequest(modelId), listener));
    return listener.awaitCompletion().firstByteLatencyMs();
  }
}
