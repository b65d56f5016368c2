package com.mangaassist.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How late the event loops run what is due: each instance sits on one event loop and sets a timer every
 * {@code intervalMs} (100), recording how much later than due it fired as the timer {@value #METER}
 * (Prometheus: {@code mangaassist_event_loop_lag_seconds_bucket}, {@code _count}, {@code _sum}, {@code _max}). A loop
 * that is blocked or saturated delays every socket and timer on it by as much; this is that delay.
 *
 * <p>Deploy it with {@link #deploy}: one instance per event loop ({@code eventLoops}, default Vert.x's default pool
 * size, twice the cores). Vert.x hands each new instance the next loop in turn, so instances deployed together, before
 * anything else creates contexts, cover every loop once.
 */
public final class EventLoopLagProbe extends VerticleBase {

  /** The Micrometer name of the lag timer. */
  public static final String METER = "mangaassist.event_loop.lag";

  private final MeterRegistry registry;
  private Timer lag;
  private long intervalMs;
  private long timerId = -1;

  private EventLoopLagProbe(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One probe per event loop of {@code vertx}, recording into the role's registry ({@link PrometheusScrape}). */
  public static Future<String> deploy(Vertx vertx) {
    return deploy(vertx, PrometheusScrape.registry(), new JsonObject());
  }

  /**
   * {@code config}: {@code intervalMs} (100), {@code eventLoops} (the event-loop pool size of {@code vertx}; default
   * {@link VertxOptions#DEFAULT_EVENT_LOOP_POOL_SIZE}, what the launcher's Vert.x has).
   */
  public static Future<String> deploy(Vertx vertx, MeterRegistry registry, JsonObject config) {
    int loops = config.getInteger("eventLoops", VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE);
    return vertx.deployVerticle(() -> new EventLoopLagProbe(registry),
        new DeploymentOptions().setInstances(loops).setConfig(config));
  }

  @Override
  public Future<?> start() {
    intervalMs = Math.max(1L, config().getLong("intervalMs", 100L));
    lag = Timer.builder(METER)
        .description("how much later than due a timer fired on an event loop (the loop was busy or blocked)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    schedule();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  /** A one-shot timer each time, so that a blocked loop yields one late sample rather than a burst of catch-ups. */
  private void schedule() {
    long dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMs);
    timerId = vertx.setTimer(intervalMs, id -> fired(dueNanos));
  }

  private void fired(long dueNanos) {
    lag.record(Math.max(0L, System.nanoTime() - dueNanos), TimeUnit.NANOSECONDS);
    schedule();
  }
}
