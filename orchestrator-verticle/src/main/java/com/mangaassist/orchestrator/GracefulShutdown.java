package com.mangaassist.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a node without dropping what shoppers are reading: no new sockets or questions from the start, answers in
 * flight may finish within the grace period, the rest then end with a typed retryable error, and every socket is
 * closed with a close frame (1001, going away) so clients reconnect, to another node, and resume.
 */
final class GracefulShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);
  /** How long a client may take to answer our close frame before the server stops waiting for it. */
  private static final long CLOSE_HANDSHAKE_MS = 2_000;

  private final Vertx vertx;
  private final OpenConnections open;
  private final long graceMs;

  GracefulShutdown(Vertx vertx, OpenConnections open, long graceMs) {
    this.vertx = vertx;
    this.open = open;
    this.graceMs = graceMs;
  }

  /** Completes once every socket is closed, or when clients that never answer the close frame stop being waited for. */
  Future<Void> run() {
    open.stopAccepting();
    LOG.info("shutting down: {} sockets, {} answers in flight, up to {} ms for them to finish", open.size(),
        open.answersInFlight(), graceMs);
    long started = System.nanoTime();
    Future<Void> closed = Future.join(open.snapshot().stream().map(ClientConnection::shutDown).toList()).mapEmpty();
    long graceTimer = vertx.setTimer(Math.max(1, graceMs), id -> {
      if (open.answersInFlight() > 0) {
        LOG.warn("grace period over: ending {} answers with a retryable error", open.answersInFlight());
      }
      open.snapshot().forEach(ClientConnection::endAnswersForShutdown);
    });
    Promise<Void> done = Promise.promise();
    long giveUp = vertx.setTimer(graceMs + CLOSE_HANDSHAKE_MS, id -> done.tryComplete());
    closed.onComplete(result -> done.tryComplete());
    return done.future().andThen(result -> {
      vertx.cancelTimer(graceTimer);
      vertx.cancelTimer(giveUp);
      LOG.info("chat stopped after {} ms", (System.nanoTime() - started) / 1_000_000);
    });
  }
}
