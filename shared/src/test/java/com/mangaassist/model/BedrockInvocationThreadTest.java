package com.mangaassist.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;

/**
 * The SDK marshals, signs and sends a request in the thread that calls it, for milliseconds under load: that thread
 * is never an event loop, whose other sockets would wait meanwhile. (A recording SDK client stands in for the real
 * one: the thread that calls it is all this test looks at.)
 */
class BedrockInvocationThreadTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theSdkIsCalledOffTheEventLoop() throws Exception {
    CompletableFuture<Thread> caller = new CompletableFuture<>();
    BedrockRuntimeAsyncClient recording = new BedrockRuntimeAsyncClient() {
      @Override
      public CompletableFuture<Void> invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest request,
          InvokeModelWithResponseStreamResponseHandler handler) {
        caller.complete(Thread.currentThread());
        return new CompletableFuture<>();
      }

      @Override
      public String serviceName() {
        return "bedrock";
      }

      @Override
      public void close() {}
    };
    Context context = vertx.getOrCreateContext();
    ModelRequest request = ModelRequest.of(BedrockClientSettings.HAIKU_ID, "system",
        List.of(ChatMessage.user("hello")), 16);
    BedrockInvocation[] invocation = new BedrockInvocation[1];
    context.runOnContext(v -> {
      invocation[0] = new BedrockInvocation(vertx, context, recording,
          BedrockClientSettings.fromJson(new JsonObject()), request, new ModelStreamListener() {
            @Override
            public void onDelta(String text) {}

            @Override
            public void onComplete(ModelCompletion completion) {}

            @Override
            public void onError(ModelFailure failure) {}
          });
      invocation[0].start();
    });
    Thread thread = caller.get(10, TimeUnit.SECONDS);
    assertNotNull(thread);
    assertFalse(thread.getName().startsWith("vert.x-eventloop"), "the SDK was called on " + thread.getName());
    invocation[0].cancel();
  }
}
