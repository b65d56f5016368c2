package com.mangaassist.model;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;

/**
 * {@link ModelClient} over the AWS SDK's {@code BedrockRuntimeAsyncClient} (Netty, HTTP/2 by default) calling
 * InvokeModelWithResponseStream with Anthropic Messages bodies.
 *
 * <p>The SDK's own retries are off, because a retry after a delta would replay tokens; this client retries with
 * full-jitter backoff only before the first delta (see {@link BedrockClientSettings.RetryPolicy}). One instance per
 * process is enough: it is thread-safe and multiplexes all streams over its connection pool.
 */
public final class BedrockModelClient implements ModelClient {

  private static final Logger LOG = LoggerFactory.getLogger(BedrockModelClient.class);
  private static final String WARM_UP_PROMPT = "ping";

  private final Vertx vertx;
  private final BedrockClientSettings settings;
  private final BedrockRuntimeAsyncClient sdk;

  public BedrockModelClient(Vertx vertx, JsonObject modelConfig) {
    this.vertx = vertx;
    this.settings = BedrockClientSettings.fromJson(modelConfig);
    this.sdk = buildSdkClient(settings);
    LOG.info("Bedrock client: endpoint={} region={} protocol={} maxConcurrency={} readTimeoutMs={}",
        settings.endpoint() == null ? "AWS" : settings.endpoint(), settings.region(),
        settings.http1() ? "HTTP/1.1" : "HTTP/2", settings.maxConcurrency(), settings.readTimeoutMs());
  }

  /**
   * Must be called on a Vert.x context; all listener callbacks are delivered there. {@code request.modelId()} may
   * also be a short name from the {@code models} config ("haiku").
   */
  @Override
  public ModelStream stream(ModelRequest request, ModelStreamListener listener) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("BedrockModelClient.stream must be called on a Vert.x context");
    }
    BedrockInvocation invocation = new BedrockInvocation(vertx, context, sdk, settings, resolve(request), listener);
    invocation.start();
    return invocation;
  }

  /** One streaming invocation with max_tokens 1, which opens (or keeps) the pooled connection and warms the model. */
  @Override
  public Future<Void> warmUp(String modelId) {
    Context current = Vertx.currentContext();
    Context context = current != null ? current : vertx.getOrCreateContext();
    Promise<Void> warmed = Promise.promise();
    ModelRequest ping = new ModelRequest(settings.resolveModel(modelId), null,
        List.of(ChatMessage.user(WARM_UP_PROMPT)), 1, 0.0, List.of(), Map.of());
    context.runOnContext(v -> stream(ping, new ModelStreamListener() {
      @Override
      public void onDelta(String text) {}

      @Override
      public void onComplete(ModelCompletion completion) {
        warmed.tryComplete();
      }

      @Override
      public void onError(ModelFailure failure) {
        warmed.tryFail(new IllegalStateException("warm-up of " + modelId + " failed: " + failure.kind() + " "
            + failure.message()));
      }
    }));
    return warmed.future();
  }

  /** Closes the SDK client, its Netty HTTP client and the event loop group that the SDK created for it. */
  @Override
  public void close() {
    sdk.close();
  }

  private ModelRequest resolve(ModelRequest request) {
    String modelId = settings.resolveModel(request.modelId());
    return modelId.equals(request.modelId()) ? request
        : new ModelRequest(modelId, request.system(), request.messages(), request.maxTokens(), request.temperature(),
            request.stopSequences(), request.headers());
  }

  private static BedrockRuntimeAsyncClient buildSdkClient(BedrockClientSettings settings) {
    NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
        .maxConcurrency(settings.maxConcurrency())
        .connectionTimeout(Duration.ofMillis(settings.connectTimeoutMs()))
        .readTimeout(Duration.ofMillis(settings.readTimeoutMs()))
        .writeTimeout(Duration.ofMillis(settings.readTimeoutMs()))
        .connectionMaxIdleTime(Duration.ofMillis(settings.connectionMaxIdleMs()))
        .tcpKeepAlive(settings.tcpKeepAlive());
    if (settings.http1()) {
      // ASSUME_PROTOCOL: ALPN with HTTP/1.1 is rejected by the SDK, and ALPN is impossible on http://
      http.protocol(Protocol.HTTP1_1).protocolNegotiation(ProtocolNegotiation.ASSUME_PROTOCOL);
    }
    // protocol left unset for h2: handing the *builder* to the SDK keeps the service default (HTTP/2; prior
    // knowledge on http://, ALPN on https://). A prebuilt httpClient(...) would silently fall back to HTTP/1.1.
    BedrockRuntimeAsyncClientBuilder builder = BedrockRuntimeAsyncClient.builder()
        .region(Region.of(settings.region()))
        .httpClientBuilder(http)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(URI.create(settings.endpoint()));
      if (!realCredentialsConfigured()) {
        // an emulator ignores the signature, but the SDK still needs credentials to sign with
        builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("emulator", "emulator")));
      }
    }
    return builder.build();
  }

  private static boolean realCredentialsConfigured() {
    return System.getenv("AWS_ACCESS_KEY_ID") != null || System.getProperty("aws.accessKeyId") != null
        || System.getenv("AWS_PROFILE") != null || System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") != null;
  }
}
