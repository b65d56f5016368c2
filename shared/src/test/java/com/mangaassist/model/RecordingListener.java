package com.mangaassist.model;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every callback, the context it arrived on, and callbacks that arrived after a cancel. */
final class RecordingListener implements ModelStreamListener {

  final List<String> deltas = new CopyOnWriteArrayList<>();
  final List<Context> contexts = new CopyOnWriteArrayList<>();
  final List<Thread> threads = new CopyOnWriteArrayList<>();
  final CompletableFuture<ModelCompletion> completion = new CompletableFuture<>();
  final CompletableFuture<ModelFailure> failure = new CompletableFuture<>();
  final AtomicInteger terminalCallbacks = new AtomicInteger();
  final AtomicInteger callbacksAfterCancel = new AtomicInteger();
  volatile boolean cancelled;
  /** Set right after {@code stream()} returns; deltas only arrive later on the same context. */
  volatile ModelStream handle;
  private final int cancelAfterDeltas;

  RecordingListener() {
    this(-1);
  }

  /** Cancels the stream from inside {@code onDelta} once this many deltas arrived. */
  RecordingListener(int cancelAfterDeltas) {
    this.cancelAfterDeltas = cancelAfterDeltas;
  }

  @Override
  public void onDelta(String text) {
    record();
    deltas.add(text);
    if (deltas.size() == cancelAfterDeltas) {
      cancelled = true;
      handle.cancel();
    }
  }

  @Override
  public void onComplete(ModelCompletion done) {
    record();
    terminalCallbacks.incrementAndGet();
    completion.complete(done);
  }

  @Override
  public void onError(ModelFailure error) {
    record();
    terminalCallbacks.incrementAndGet();
    failure.complete(error);
  }

  String text() {
    return String.join("", deltas);
  }

  ModelCompletion awaitCompletion() throws Exception {
    CompletableFuture.anyOf(completion, failure).get(20, TimeUnit.SECONDS);
    if (failure.isDone()) {
      throw new AssertionError("expected completion, got " + failure.get());
    }
    return completion.get();
  }

  ModelFailure awaitFailure() throws Exception {
    CompletableFuture.anyOf(completion, failure).get(20, TimeUnit.SECONDS);
    if (completion.isDone()) {
      throw new AssertionError("expected failure, got " + completion.get() + " after '" + text() + "'");
    }
    return failure.get();
  }

  private void record() {
    if (cancelled) {
      callbacksAfterCancel.incrementAndGet();
    }
    contexts.add(Vertx.currentContext());
    threads.add(Thread.currentThread());
  }
}
