package com.mangaassist.benchmark.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One shopper's socket speaking protocol v1. Several queries may be in flight, told apart by their ids; each
 * {@link #ask} completes with what the shopper saw. Everything runs on the socket's event loop.
 */
public final class ChatSocket {

  private final Vertx vertx;
  private final WebSocket socket;
  private final Promise<String> ready = Promise.promise();
  private final Map<String, PendingQuery> pending = new HashMap<>();
  private Consumer<JsonObject> otherFrames = frame -> {};
  /** The {@code resume} waiting for its {@code ready}, if any. */
  private Promise<Boolean> resuming;
  private boolean closed;

  ChatSocket(Vertx vertx, WebSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
    socket.textMessageHandler(this::onText);
    socket.closeHandler(v -> onClosed());
    // a socket error is followed by its close, which ends every pending query as connection_closed
    socket.exceptionHandler(e -> {});
    if (socket.isClosed()) {
      onClosed();
    }
  }

  /** Completes with the session id once the server said {@code ready}; fails if it closed first. */
  public Future<String> ready() {
    return ready.future();
  }

  /** Frames that belong to no pending query's text path: {@code suggestions}, {@code cards}, {@code pong}. */
  public ChatSocket otherFrameHandler(Consumer<JsonObject> handler) {
    this.otherFrames = handler;
    return this;
  }

  /**
   * Sends a query and completes (never fails) with its outcome, timed from {@code startNanos}
   * ({@link System#nanoTime()}); a query with no terminal frame after {@code timeoutMs} ends as {@code client_timeout}.
   */
  public Future<QueryOutcome> ask(String id, String text, long startNanos, long timeoutMs) {
    return ask(id, text, startNanos, timeoutMs, false);
  }

  /**
   * As {@link #ask(String, String, long, long)}; with {@code cancelAtFirstToken} the query is cancelled as soon as
   * its first text arrives (the terminal frame is then a {@code done} with {@code cancelled}): for measurements of
   * time to first token that need not pay for whole answers.
   */
  public Future<QueryOutcome> ask(String id, String text, long startNanos, long timeoutMs, boolean cancelAtFirstToken) {
    PendingQuery query = new PendingQuery(id, startNanos);
    if (cancelAtFirstToken) {
      query.onFirstText = () -> socket.writeTextMessage(new JsonObject().put("action", "cancel").put("id", id).encode());
    }
    if (closed) {
      return Future.succeededFuture(query.failed("connection_closed", "socket closed before the query was sent"));
    }
    pending.put(id, query);
    query.timer = vertx.setTimer(timeoutMs, t -> finish(query, query.failed("client_timeout",
        "no terminal frame within " + timeoutMs + " ms")));
    socket.writeTextMessage(new JsonObject().put("action", "query").put("id", id).put("text", text).encode());
    return query.outcome.future();
  }

  /**
   * Continues a conversation after a reconnect, to this node or another: completes with whether the server resumed
   * it ({@code false}: unknown or expired, the socket keeps its new session); fails when the server refused it.
   */
  public Future<Boolean> resume(String sessionId) {
    resuming = Promise.promise();
    socket.writeTextMessage(new JsonObject().put("action", "resume").put("sessionId", sessionId).encode());
    return resuming.future();
  }

  public boolean isOpen() {
    return !closed;
  }

  public Future<Void> close() {
    return socket.close();
  }

  private void onText(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return;
    }
    String type = frame.getString("type", "");
    if ("ready".equals(type)) {
      if (!ready.tryComplete(frame.getString("sessionId")) && resuming != null) {
        resuming.tryComplete(frame.getBoolean("resumed", false));
      }
      return;
    }
    PendingQuery query = pending.get(frame.getString("id"));
    if (query == null) {
      if ("error".equals(type) && frame.getString("id") == null) {
        String reason = frame.getString("code", "error") + ": " + frame.getString("message", "");
        if (!ready.tryFail(reason) && resuming != null) {
          resuming.tryFail(reason);
        }
      }
      otherFrames.accept(frame);
      return;
    }
    switch (type) {
      case "chunk" -> query.chunk(frame.getString("text", ""));
      case "done" -> finish(query, query.done(frame.getJsonObject("metadata", new JsonObject())));
      case "error" -> finish(query, query.failed(frame.getString("code", "error"), frame.getString("message", "")));
      default -> otherFrames.accept(frame);
    }
  }

  private void finish(PendingQuery query, QueryOutcome outcome) {
    if (pending.remove(query.id, query)) {
      vertx.cancelTimer(query.timer);
      query.outcome.complete(outcome);
    }
  }

  private void onClosed() {
    closed = true;
    ready.tryFail("socket closed before ready");
    for (PendingQuery query : Map.copyOf(pending).values()) {
      finish(query, query.failed("connection_closed", "socket closed mid-answer"));
    }
  }

  /** The client-side clock of one query. */
  private static final class PendingQuery {
    final String id;
    final long startNanos;
    final Promise<QueryOutcome> outcome = Promise.promise();
    long timer;
    Runnable onFirstText;
    long firstTextNanos;
    int chunks;
    long chars;

    PendingQuery(String id, long startNanos) {
      this.id = id;
      this.startNanos = startNanos;
    }

    void chunk(String text) {
      chunks++;
      chars += text.length();
      if (firstTextNanos == 0 && !text.isEmpty()) {
        firstTextNanos = System.nanoTime();
        if (onFirstText != null) {
          onFirstText.run();
        }
      }
    }

    QueryOutcome done(JsonObject metadata) {
      return new QueryOutcome(id, ttft(), System.nanoTime() - startNanos, chunks, chars, metadata, null, null);
    }

    QueryOutcome failed(String code, String message) {
      return new QueryOutcome(id, ttft(), System.nanoTime() - startNanos, chunks, chars, null, code, message);
    }

    private long ttft() {
      return firstTextNanos == 0 ? -1 : firstTextNanos - startNanos;
    }
  }
}
