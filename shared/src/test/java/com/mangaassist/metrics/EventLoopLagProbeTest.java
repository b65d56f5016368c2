package com.mangaassist.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe against loops blocked on purpose. Timing assertions are one-sided: a loop blocked for {@code BLOCK_MS}
 * delays a timer due within that time by at least {@code BLOCK_MS} minus the probe's interval, however slow the
 * machine. Idle bounds are loose: on a busy 2-core machine an idle loop's timer is seen hundreds of ms late now and
 * then, so the idle test looks at the typical sample, not the worst.
 */
class EventLoopLagProbeTest {

  private static final int LOOPS = 2;
  private static final long INTERVAL_MS = 50;
  private static final long BLOCK_MS = 500;

  private Vertx vertx;
  private PrometheusMeterRegistry registry;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(LOOPS));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventLoopLagProbe.deploy(vertx, registry, new JsonObject().put("intervalMs", INTERVAL_MS).put("eventLoops", LOOPS))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anIdleLoopRecordsSmallLagOftenAndAnUndeployedProbeStops() throws Exception {
    Timer lag = lag();
    eventually(() -> lag.count() >= 20, 15_000, "the probes record every interval");
    // the lag, not the interval: most samples are a small fraction of it
    assertTrue(samplesAtLeast(lag, INTERVAL_MS / 2) < lag.count() / 2.0,
        samplesAtLeast(lag, INTERVAL_MS / 2) + " of " + lag.count() + " samples at least " + INTERVAL_MS / 2 + " ms");
    assertTrue(lag.max(TimeUnit.MILLISECONDS) < 2_000, "nothing blocked a loop for Vert.x's blocked-thread limit: "
        + lag.max(TimeUnit.MILLISECONDS) + " ms");

    for (String id : vertx.deploymentIDs()) {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    }
    long stopped = lag.count();
    Thread.sleep(4 * INTERVAL_MS);
    assertEquals(stopped, lag.count(), "undeployed probes cancel their timers");
  }

  @Test
  void blockingAnyEventLoopShowsAsLagOfAboutTheBlockedTime() throws Exception {
    Timer lag = lag();
    eventually(() -> lag.count() >= LOOPS, 15_000, "the probes record");
    Set<String> blocked = new HashSet<>();
    // each loop in turn: every one has a probe, so blocking any of them is seen
    for (int attempt = 0; blocked.size() < LOOPS && attempt < 50; attempt++) {
      Context context = newContext();
      String loop = onContext(context);
      if (!blocked.add(loop)) {
        continue;
      }
      double lateBefore = samplesAtLeast(lag, BLOCK_MS - INTERVAL_MS);
      context.runOnContext(v -> sleep(BLOCK_MS));
      // a short wait: the late sample comes as the block ends (a wait of many seconds would let a stray stall of
      // another loop on a busy machine pass for it)
      eventually(() -> samplesAtLeast(lag, BLOCK_MS - INTERVAL_MS) > lateBefore, BLOCK_MS + 3_000,
          "a timer on " + loop + " fired at least " + (BLOCK_MS - INTERVAL_MS) + " ms late");
    }
    assertEquals(LOOPS, blocked.size(), "every loop was blocked once");
    assertTrue(lag.max(TimeUnit.MILLISECONDS) >= BLOCK_MS - INTERVAL_MS, "max " + lag.max(TimeUnit.MILLISECONDS));

    String scrape = registry.scrape();
    assertTrue(scrape.contains("mangaassist_event_loop_lag_seconds_bucket{le="), "a histogram for histogram_quantile");
    assertTrue(scrape.contains("mangaassist_event_loop_lag_seconds_max"), scrape);
    assertTrue(scrape.contains("mangaassist_event_loop_lag_seconds_count"), scrape);
  }

  private Timer lag() {
    return registry.get(EventLoopLagProbe.METER).timer();
  }

  /** Samples recorded at or above {@code millis}, from the cumulative histogram (upper bucket bounds below it excluded). */
  private static double samplesAtLeast(Timer timer, long millis) {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    double below = 0;
    for (CountAtBucket bucket : snapshot.histogramCounts()) {
      if (bucket.bucket(TimeUnit.MILLISECONDS) < millis) {
        below = Math.max(below, bucket.count());
      }
    }
    return snapshot.count() - below;
  }

  /** The context of a new deployment: each gets the next event loop in turn. */
  private Context newContext() throws Exception {
    CompletableFuture<Context> created = new CompletableFuture<>();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        created.complete(context);
        return Future.succeededFuture();
      }
    }).await(10, TimeUnit.SECONDS);
    return created.get(10, TimeUnit.SECONDS);
  }

  private static String onContext(Context context) throws Exception {
    CompletableFuture<String> thread = new CompletableFuture<>();
    context.runOnContext(v -> thread.complete(Thread.currentThread().getName()));
    return thread.get(10, TimeUnit.SECONDS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // blocking the event loop on purpose: what the probe is for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void eventually(BooleanSupplier condition, long withinMs, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "never: " + what);
      Thread.sleep(10);
    }
  }
}
