package com.mangaassist.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;

/** Deploys an emulator with fast, jitter-free profiles for tests, and builds SDK clients pointed at it. */
public final class TestEmulator {

  public static final String HAIKU = "anthropic.claude-3-haiku-20240307-v1:0";
  /** A model id whose profile is slow enough to cancel mid-stream reliably. */
  static final String SLOW = "test.slow-model-v1:0";

  public static JsonObject fastConfig() {
    JsonObject fast = new JsonObject().put("ttftMs", 20).put("msPerInputToken", 0).put("tokensPerSecond", 2000)
        .put("jitter", 0);
    return new JsonObject()
        .put("port", 0)
        .put("coldStartPenaltyMs", 0)
        .put("newConnectionPenaltyMs", 0)
        .put("profiles", new JsonObject()
            .put("default", fast)
            .put(HAIKU, fast)
            .put("anthropic.claude-3-sonnet-20240229-v1:0", fast)
            .put(SLOW, fast.copy().put("tokensPerSecond", 20)));
  }

  public static EmulatorVerticle deploy(Vertx vertx, JsonObject config) {
    EmulatorVerticle emulator = new EmulatorVerticle();
    vertx.deployVerticle(emulator, new io.vertx.core.DeploymentOptions().setConfig(config)).await();
    return emulator;
  }

  /** The SDK-managed HTTP client: HTTP/2 with prior knowledge on http:// (the Bedrock Runtime service default). */
  static BedrockRuntimeAsyncClient h2Client(int port) {
    return base(port).build();
  }

  static BedrockRuntimeAsyncClient http11Client(int port) {
    return base(port)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .protocol(Protocol.HTTP1_1)
            .protocolNegotiation(ProtocolNegotiation.ASSUME_PROTOCOL))
        .build();
  }

  private static BedrockRuntimeAsyncClientBuilder base(int port) {
    return BedrockRuntimeAsyncClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofSeconds(30)));
  }

  /** An Anthropic Messages body with a catalog block, as the orchestrator sends it. */
  static JsonObject anthropicBody(int maxTokens) {
    String prompt = "Which pirate manga do you have?\n<catalog>\n"
        + "title: One Piece | author: Eiichiro Oda | volume: 108 | priceJpy: 528 | inStock: true\n"
        + "title: Vinland Saga | author: Makoto Yukimura | volume: 27 | priceJpy: 990 | inStock: false\n"
        + "</catalog>";
    return new JsonObject()
        .put("anthropic_version", "bedrock-2023-05-31")
        .put("max_tokens", maxTokens)
        .put("system", "You are MangaAssist, a helpful manga shop assistant.")
        .put("messages", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("role", "user").put("content", prompt)))
        .put("temperature", 0.5);
  }

  private TestEmulator() {}
}
