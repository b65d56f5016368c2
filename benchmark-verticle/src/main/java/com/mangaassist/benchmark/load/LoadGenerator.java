package com.mangaassist.benchmark.load;

import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Open-loop load against a running MangaAssist: {@code connections} shoppers connect and stay connected, and
 * queries fall due at a constant {@code rate} whatever the system does. A due query waits for an idle socket (a
 * shopper asks one thing at a time) and is timed from when it fell due, so a slow system cannot hide its own
 * queueing (no coordinated omission). Every callback runs on one event-loop context: no locks.
 */
public final class LoadGenerator {

  private static final long TICK_MS = 1;
  private static final long METRICS_EVERY_MS = 1_000;

  private final Vertx vertx;
  private final LoadOptions options;
  private final QueryMix mix;
  private final Consumer<String> progress;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<ChatSocket> sockets = new ArrayList<>();
  private final ArrayDeque<ChatSocket> idle = new ArrayDeque<>();
  /** Due times ({@link System#nanoTime()}) of queries waiting for an idle socket. */
  private final ArrayDeque<Long> backlog = new ArrayDeque<>();
  private final LoadRecorder recorder = new LoadRecorder();
  private final ServerMetricsProbe server = new ServerMetricsProbe();
  private ChatEndpoint endpoint;

  private int connectNext;
  private int connectInFlight;
  private int connectEnded;
  private int connectFailures;
  private String lastConnectFailure;

  private long startNanos;
  private long measureFromNanos;
  private long endNanos;
  private long scheduled;
  private long sent;
  private long sentMeasured;
  private long warmupQueries;
  private int inFlight;
  private int inFlightMax;
  private double inFlightSum;
  private long inFlightSamples;
  private boolean metricsPending;
  private long lastMetricsNanos;

  public LoadGenerator(Vertx vertx, LoadOptions options, QueryMix mix, Consumer<String> progress) {
    this.vertx = vertx;
    this.options = options;
    this.mix = mix;
    this.progress = progress;
  }

  /** Connects, drives the run, drains, and completes with the report (see {@link #report}). */
  public Future<JsonObject> run() {
    Promise<JsonObject> result = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      endpoint = ChatEndpoint.of(vertx, options.url(), options.connections() + 16);
      connectAll()
          .compose(connected -> drive())
          .compose(driven -> drain())
          .compose(drained -> scrapeMetrics())
          .map(scraped -> report())
          .eventually(() -> closeAll())
          .onComplete(result);
    });
    return result.future();
  }

  private Future<Void> connectAll() {
    Promise<Void> all = Promise.promise();
    progress.accept("connecting " + options.connections() + " sockets to " + options.url());
    launchConnects(all);
    return all.future();
  }

  private void launchConnects(Promise<Void> all) {
    while (connectInFlight < options.connectConcurrency() && connectNext < options.connections()) {
      // one shopper per socket, as in real traffic (and inside the per-user connection limit)
      String user = "load-" + run + "-" + connectNext++;
      connectInFlight++;
      endpoint.connect(user).onComplete(connected -> {
        connectInFlight--;
        connectEnded++;
        if (connected.succeeded()) {
          sockets.add(connected.result());
          idle.add(connected.result());
        } else {
          connectFailures++;
          lastConnectFailure = connected.cause().getMessage();
        }
        if (connectEnded % 1000 == 0) {
          progress.accept("  " + connectEnded + "/" + options.connections() + " sockets");
        }
        if (connectEnded == options.connections()) {
          if (sockets.isEmpty()) {
            all.fail("no socket could connect: " + lastConnectFailure);
          } else {
            all.complete();
          }
        } else {
          launchConnects(all);
        }
      });
    }
  }

  private Future<Void> drive() {
    Promise<Void> driven = Promise.promise();
    progress.accept(String.format(java.util.Locale.ROOT, "%d sockets held; %.1f queries/s for %.1f s (warm-up %.1f s)",
        sockets.size(), options.rate(), options.duration().toMillis() / 1000.0, options.warmup().toMillis() / 1000.0));
    startNanos = System.nanoTime();
    measureFromNanos = startNanos + options.warmup().toNanos();
    endNanos = startNanos + options.duration().toNanos();
    double intervalNanos = 1e9 / options.rate();
    vertx.setPeriodic(TICK_MS, timer -> {
      long now = System.nanoTime();
      long dueNow = (long) Math.floor((Math.min(now, endNanos) - startNanos) / intervalNanos);
      while (scheduled < dueNow) {
        backlog.add(startNanos + Math.round(scheduled * intervalNanos));
        scheduled++;
      }
      dispatch();
      inFlightSum += inFlight;
      inFlightSamples++;
      maybeScrapeMetrics(now);
      if (now >= endNanos) {
        vertx.cancelTimer(timer);
        driven.complete();
      }
    });
    return driven.future();
  }

  /** Due queries go to idle sockets; each is timed from when it fell due. */
  private void dispatch() {
    while (!backlog.isEmpty() && !idle.isEmpty()) {
      ChatSocket socket = idle.poll();
      if (!socket.isOpen()) {
        continue;
      }
      long due = backlog.poll();
      boolean measured = due >= measureFromNanos;
      sent++;
      if (measured) {
        sentMeasured++;
      }
      inFlight++;
      inFlightMax = Math.max(inFlightMax, inFlight);
      socket.ask("L" + sent, mix.next(), due, options.answerTimeout().toMillis())
          .onSuccess(outcome -> ended(socket, outcome, measured));
    }
  }

  private void ended(ChatSocket socket, QueryOutcome outcome, boolean measured) {
    inFlight--;
    if (measured) {
      recorder.record(outcome);
    } else {
      warmupQueries++;
    }
    if (socket.isOpen()) {
      idle.add(socket);
    }
    dispatch();
  }

  /** Arrivals stop; queries still waiting for a socket are counted as not sent; in-flight ones finish. */
  private Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    vertx.setPeriodic(50, timer -> {
      if (inFlight == 0) {
        vertx.cancelTimer(timer);
        drained.complete();
      }
    });
    return drained.future();
  }

  private void maybeScrapeMetrics(long now) {
    if (!metricsPending && now - lastMetricsNanos >= METRICS_EVERY_MS * 1_000_000) {
      lastMetricsNanos = now;
      scrapeMetrics();
    }
  }

  private Future<Void> scrapeMetrics() {
    metricsPending = true;
    return endpoint.metricsText()
        .onSuccess(server::accept)
        .onFailure(server::failed)
        .eventually(() -> {
          metricsPending = false;
          return Future.succeededFuture();
        })
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  private JsonObject report() {
    double measuredSeconds = (endNanos - measureFromNanos) / 1e9;
    long unsent = backlog.size();
    int dropped = 0;
    for (ChatSocket socket : sockets) {
      if (!socket.isOpen()) {
        dropped++;
      }
    }
    JsonObject connections = new JsonObject()
        .put("requested", options.connections())
        .put("opened", sockets.size())
        .put("failed", connectFailures)
        .put("dropped_during_run", dropped)
        .put("held_at_end", sockets.size() - dropped);
    if (lastConnectFailure != null) {
      connections.put("last_failure", lastConnectFailure);
    }
    JsonObject queries = new JsonObject()
        .put("due", scheduled)
        .put("sent", sent)
        .put("warmup_discarded", warmupQueries)
        .put("measured", recorder.ended())
        .put("not_sent_no_idle_socket", unsent)
        .put("achieved_rate_per_s", Math.round(sentMeasured / measuredSeconds * 100) / 100.0)
        .put("in_flight_mean", inFlightSamples == 0 ? 0 : Math.round(inFlightSum / inFlightSamples * 10) / 10.0)
        .put("in_flight_max", inFlightMax);
    return new JsonObject()
        .put("url", options.url())
        .put("rate_per_s", options.rate())
        .put("duration_s", options.duration().toMillis() / 1000.0)
        .put("warmup_s", options.warmup().toMillis() / 1000.0)
        .put("fresh_questions", options.fresh())
        .put("connections", connections)
        .put("queries", queries)
        .put("results", recorder.toJson(measuredSeconds))
        .put("server", server.toJson());
  }

  private Future<Void> closeAll() {
    List<Future<Void>> closes = new ArrayList<>();
    for (ChatSocket socket : sockets) {
      if (socket.isOpen()) {
        closes.add(socket.close().recover(e -> Future.succeededFuture()));
      }
    }
    return Future.join(closes).compose(v -> endpoint.close()).<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }
}
