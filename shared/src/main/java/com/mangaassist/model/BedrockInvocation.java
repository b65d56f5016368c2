package com.mangaassist.model;

import com.mangaassist.model.ModelFailure.Kind;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * One generation: possibly several attempts, retried only before the first text delta.
 *
 * <p>SDK callbacks arrive on SDK threads; each one only hops onto the caller's Vert.x context, where all state lives
 * and every listener callback is made. Events are requested one at a time, after the previous one was handled, so
 * order is kept and a slow context back-pressures the SDK.
 */
final class BedrockInvocation implements ModelStream {

  private static final Logger LOG = LoggerFactory.getLogger(BedrockInvocation.class);

  private final Vertx vertx;
  private final Context context;
  private final BedrockRuntimeAsyncClient sdk;
  private final BedrockClientSettings settings;
  private final ModelRequest request;
  private final SdkBytes body;
  private final ModelStreamListener listener;
  private final long startedAtNanos = System.nanoTime();

  private volatile boolean cancelled;
  private volatile Attempt current;
  private boolean finished;
  private int attempts;
  private boolean deltaDelivered;
  private long firstTokenTimer = -1;
  private long idleTimer = -1;
  private long retryTimer = -1;
  private AnthropicStreamState state = new AnthropicStreamState();

  /** What the Anthropic events of the current event stream told us so far. */
  private static final class AnthropicStreamState {
    int inputTokens = -1;
    int outputTokens = -1;
    String stopReason;
    JsonObject metrics;
    boolean messageStopped;
  }

  /** One HTTP invocation. */
  private final class Attempt {
    final int number;
    final AtomicInteger eventStreams = new AtomicInteger();
    volatile CompletableFuture<Void> future;
    volatile Subscription subscription;
    int liveEventStream;
    boolean futureSucceeded;
    boolean subscriberCompleted;

    Attempt(int number) {
      this.number = number;
    }

    /** Resets the HTTP stream at once: cancelling the subscription and the future makes the SDK close it. */
    void abort() {
      Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
      CompletableFuture<Void> f = future;
      if (f != null) {
        f.cancel(true);
      }
    }
  }

  BedrockInvocation(Vertx vertx, Context context, BedrockRuntimeAsyncClient sdk, BedrockClientSettings settings,
      ModelRequest request, ModelStreamListener listener) {
    this.vertx = vertx;
    this.context = context;
    this.sdk = sdk;
    this.settings = settings;
    this.request = request;
    this.listener = listener;
    this.body = SdkBytes.fromUtf8String(anthropicBody(request).encode());
  }

  /** Must run on {@link #context}. */
  void start() {
    startAttempt();
  }

  @Override
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    Attempt attempt = current;
    if (attempt != null) {
      attempt.abort();
    }
    context.runOnContext(v -> {
      finished = true;
      cancelTimers();
    });
  }

  static JsonObject anthropicBody(ModelRequest request) {
    JsonObject body = new JsonObject()
        .put("anthropic_version", "bedrock-2023-05-31")
        .put("max_tokens", request.maxTokens());
    if (request.system() != null && !request.system().isBlank()) {
      body.put("system", request.system());
    }
    io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
    for (ChatMessage message : request.messages()) {
      messages.add(new JsonObject().put("role", message.role()).put("content", message.text()));
    }
    body.put("messages", messages).put("temperature", request.temperature());
    if (!request.stopSequences().isEmpty()) {
      body.put("stop_sequences", new io.vertx.core.json.JsonArray(request.stopSequences()));
    }
    return body;
  }

  // ---- attempts (all on the context) ------------------------------------------------------------------------

  private void startAttempt() {
    if (cancelled || finished) {
      return;
    }
    Attempt attempt = new Attempt(++attempts);
    current = attempt;
    state = new AnthropicStreamState();
    firstTokenTimer = vertx.setTimer(settings.firstTokenTimeoutMs(), id -> onFirstTokenTimeout(attempt));
    InvokeModelWithResponseStreamRequest sdkRequest = InvokeModelWithResponseStreamRequest.builder()
        .modelId(request.modelId())
        .contentType("application/json")
        .accept("application/json")
        .body(body)
        .overrideConfiguration(o -> request.headers().forEach(o::putHeader))
        .build();
    InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
        .onEventStream(publisher -> subscribe(attempt, publisher))
        // failures are taken from the future, which always completes; onError may fire more than once
        .onError(error -> LOG.debug("attempt {} of {} failed in handler: {}", attempt.number, request.modelId(),
            error.toString()))
        .build();
    try {
      CompletableFuture<Void> future = sdk.invokeModelWithResponseStream(sdkRequest, handler);
      attempt.future = future;
      future.whenComplete((ignored, error) -> onContext(() -> onFutureDone(attempt, error)));
      if (cancelled) {
        attempt.abort();
      }
    } catch (RuntimeException e) {
      onContext(() -> onAttemptFailed(attempt, e));
    }
  }

  /** Runs on an SDK thread; may be called again if the SDK replays the stream. */
  private void subscribe(Attempt attempt, SdkPublisher<ResponseStream> publisher) {
    int eventStream = attempt.eventStreams.incrementAndGet();
    publisher.subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        onContext(() -> onEventStreamSubscribed(attempt, eventStream, subscription));
      }

      @Override
      public void onNext(ResponseStream event) {
        onContext(() -> onEvent(attempt, eventStream, event));
      }

      @Override
      public void onError(Throwable error) {
        onContext(() -> onAttemptFailed(attempt, error));
      }

      @Override
      public void onComplete() {
        onContext(() -> {
          if (attempt.liveEventStream == eventStream) {
            attempt.subscriberCompleted = true;
            maybeFinish(attempt);
          }
        });
      }
    });
  }

  private void onEventStreamSubscribed(Attempt attempt, int eventStream, Subscription subscription) {
    if (!isLive(attempt)) {
      subscription.cancel();
      return;
    }
    if (attempt.liveEventStream != 0) {
      // the SDK replays onEventStream when it retries internally; tokens already delivered must not repeat
      if (attempt.subscription != null) {
        attempt.subscription.cancel();
      }
      if (deltaDelivered) {
        subscription.cancel();
        fail(new ModelFailure(Kind.MODEL_ERROR, "model stream restarted after tokens were delivered", true, true));
        return;
      }
      state = new AnthropicStreamState();
    }
    attempt.liveEventStream = eventStream;
    attempt.subscription = subscription;
    subscription.request(1);
  }

  private void onEvent(Attempt attempt, int eventStream, ResponseStream event) {
    if (!isLive(attempt) || attempt.liveEventStream != eventStream) {
      return;
    }
    if (event instanceof PayloadPart chunk) {
      JsonObject json;
      try {
        json = new JsonObject(chunk.bytes().asUtf8String());
      } catch (RuntimeException e) {
        fail(new ModelFailure(Kind.MODEL_ERROR, "malformed chunk from the model", false, deltaDelivered));
        return;
      }
      handleAnthropicEvent(json);
    }
    if (isLive(attempt)) {
      attempt.subscription.request(1);
    }
  }

  private void handleAnthropicEvent(JsonObject event) {
    switch (String.valueOf(event.getValue("type"))) {
      case "message_start" -> {
        JsonObject usage = event.getJsonObject("message", new JsonObject()).getJsonObject("usage", new JsonObject());
        state.inputTokens = usage.getInteger("input_tokens", -1);
      }
      case "content_block_delta" -> {
        JsonObject delta = event.getJsonObject("delta", new JsonObject());
        String text = delta.getString("text");
        if ("text_delta".equals(delta.getString("type")) && text != null && !text.isEmpty()) {
          deliverDelta(text);
        }
      }
      case "message_delta" -> {
        state.stopReason = event.getJsonObject("delta", new JsonObject()).getString("stop_reason");
        state.outputTokens = event.getJsonObject("usage", new JsonObject()).getInteger("output_tokens", -1);
      }
      case "message_stop" -> {
        state.metrics = event.getJsonObject("amazon-bedrock-invocationMetrics");
        state.messageStopped = true;
      }
      case "error" -> {
        JsonObject error = event.getJsonObject("error", new JsonObject());
        boolean overloaded = "overloaded_error".equals(error.getString("type"));
        fail(new ModelFailure(overloaded ? Kind.THROTTLED : Kind.MODEL_ERROR,
            "model error: " + error.getString("message", "unknown"), overloaded, deltaDelivered));
      }
      default -> { /* content_block_start, content_block_stop, ping: nothing to deliver */ }
    }
  }

  private void deliverDelta(String text) {
    if (!deltaDelivered) {
      deltaDelivered = true;
      cancelTimer(firstTokenTimer);
      firstTokenTimer = -1;
    }
    cancelTimer(idleTimer);
    Attempt attempt = current;
    idleTimer = vertx.setTimer(settings.idleTimeoutMs(), id -> onIdleTimeout(attempt));
    try {
      listener.onDelta(text);
    } catch (RuntimeException e) {
      LOG.error("listener failed on a delta; stopping the generation", e);
      fail(new ModelFailure(Kind.INTERNAL, "listener failed: " + e, false, true));
    }
  }

  private void onFutureDone(Attempt attempt, Throwable error) {
    if (!isLive(attempt)) {
      return;
    }
    if (error != null) {
      onAttemptFailed(attempt, error);
      return;
    }
    attempt.futureSucceeded = true;
    maybeFinish(attempt);
  }

  /**
   * Success needs {@code message_stop}: the SDK completes normally even when the connection drops mid-stream, so a
   * stream without it is a broken stream. We wait for both the future and the event subscriber, whichever is last.
   */
  private void maybeFinish(Attempt attempt) {
    if (!isLive(attempt)) {
      return;
    }
    if (state.messageStopped && (attempt.futureSucceeded || attempt.subscriberCompleted)) {
      complete();
    } else if (attempt.futureSucceeded && attempt.subscriberCompleted) {
      onAttemptFailed(attempt, null);
    }
  }

  /** {@code error} null means "the stream ended without message_stop". */
  private void onAttemptFailed(Attempt attempt, Throwable error) {
    if (!isLive(attempt)) {
      return;
    }
    ModelFailure failure = error == null
        ? new ModelFailure(Kind.MODEL_ERROR, "model stream ended before message_stop", true, deltaDelivered)
        : BedrockFailures.classify(error, deltaDelivered);
    attempt.abort();
    cancelTimers();
    long backoff = settings.retry().backoffMs(attempt.number, ThreadLocalRandom.current().nextDouble());
    long elapsedMs = (System.nanoTime() - startedAtNanos) / 1_000_000;
    boolean retry = !deltaDelivered
        && failure.retryable()
        && (failure.kind() == Kind.THROTTLED || failure.kind() == Kind.MODEL_ERROR)
        && attempt.number < settings.retry().maxAttempts()
        && elapsedMs + backoff <= settings.retry().deadlineMs();
    if (retry) {
      LOG.debug("retrying {} in {} ms after attempt {}: {}", request.modelId(), backoff, attempt.number,
          failure.message());
      current = null;
      retryTimer = vertx.setTimer(Math.max(1, backoff), id -> startAttempt());
    } else {
      fail(failure);
    }
  }

  private void onFirstTokenTimeout(Attempt attempt) {
    if (isLive(attempt)) {
      fail(new ModelFailure(Kind.TIMEOUT, "no first token within " + settings.firstTokenTimeoutMs() + " ms", true,
          false));
    }
  }

  private void onIdleTimeout(Attempt attempt) {
    if (isLive(attempt)) {
      fail(new ModelFailure(Kind.TIMEOUT, "no token for " + settings.idleTimeoutMs() + " ms", true, deltaDelivered));
    }
  }

  // ---- terminal callbacks ----------------------------------------------------------------------------------

  private void complete() {
    finished = true;
    cancelTimers();
    JsonObject metrics = state.metrics != null ? state.metrics : new JsonObject();
    ModelCompletion completion = new ModelCompletion(
        state.stopReason,
        metrics.getInteger("inputTokenCount", state.inputTokens),
        metrics.getInteger("outputTokenCount", state.outputTokens),
        metrics.getLong("firstByteLatency", -1L),
        metrics.getLong("invocationLatency", -1L));
    try {
      listener.onComplete(completion);
    } catch (RuntimeException e) {
      LOG.error("listener failed on completion", e);
    }
  }

  private void fail(ModelFailure failure) {
    finished = true;
    cancelTimers();
    Attempt attempt = current;
    if (attempt != null) {
      attempt.abort();
    }
    try {
      listener.onError(failure);
    } catch (RuntimeException e) {
      LOG.error("listener failed on error {}", failure, e);
    }
  }

  private boolean isLive(Attempt attempt) {
    return !cancelled && !finished && attempt == current;
  }

  private void onContext(Runnable action) {
    context.runOnContext(v -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.error("unexpected failure handling the model stream", e);
        if (!cancelled && !finished) {
          fail(new ModelFailure(Kind.INTERNAL, "internal error: " + e, false, deltaDelivered));
        }
      }
    });
  }

  private void cancelTimers() {
    cancelTimer(firstTokenTimer);
    cancelTimer(idleTimer);
    cancelTimer(retryTimer);
    firstTokenTimer = idleTimer = retryTimer = -1;
  }

  private void cancelTimer(long id) {
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }
}
