package com.mangaassist.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * One client connection, whatever carries it (raw WebSocket or SockJS): text frames in, text frames out, with
 * the transport's back-pressure signal.
 */
interface ClientChannel {

  /** The request URI the client connected with (for a {@code ?token=} query parameter). */
  String uri();

  /** The browser's {@code Origin} header, or null. */
  String origin();

  void textHandler(Handler<String> handler);

  void closeHandler(Handler<Void> handler);

  void drainHandler(Handler<Void> handler);

  boolean writeQueueFull();

  void write(String frame);

  /**
   * Closes with a WebSocket status code and a short reason; completes once the close handshake is over (or at once
   * where the transport does not report it).
   */
  Future<Void> close(short statusCode, String reason);
}
