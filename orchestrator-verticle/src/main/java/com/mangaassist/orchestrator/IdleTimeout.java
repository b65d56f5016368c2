package com.mangaassist.orchestrator;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Calls {@code onIdle} once nothing has been heard from the client for {@code timeoutMs} while nothing was being
 * answered. One timer per connection, re-armed only when it fires, rather than on every frame: a chatty client costs
 * a timestamp per frame, not a timer.
 */
final class IdleTimeout {

  private final Vertx vertx;
  private final long timeoutMs;
  private final BooleanSupplier answering;
  private final Runnable onIdle;
  private long lastHeardNanos;
  private long timer = -1;

  IdleTimeout(Vertx vertx, long timeoutMs, BooleanSupplier answering, Runnable onIdle) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.answering = answering;
    this.onIdle = onIdle;
  }

  void start() {
    heard();
    arm(timeoutMs);
  }

  /** A frame arrived (or an answer ended): the silence starts again from now. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void arm(long delayMs) {
    timer = vertx.setTimer(Math.max(1, delayMs), id -> check());
  }

  private void check() {
    timer = -1;
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
    if (answering.getAsBoolean()) {
      // a shopper reading a long answer is not idle; the answer's end counts as heard
      arm(timeoutMs);
    } else if (silentMs >= timeoutMs) {
      onIdle.run();
    } else {
      arm(timeoutMs - silentMs);
    }
  }
}
