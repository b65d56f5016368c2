package com.mangaassist.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;

/** A raw WebSocket at {@code /ws}. */
final class WebSocketChannel implements ClientChannel {

  private final ServerWebSocket ws;

  WebSocketChannel(ServerWebSocket ws, int writeQueueMaxBytes) {
    this.ws = ws;
    ws.setWriteQueueMaxSize(writeQueueMaxBytes);
    // a reset connection is reported through closeHandler as well; nothing else to do with the exception
    ws.exceptionHandler(e -> { });
  }

  @Override
  public String uri() {
    return ws.uri();
  }

  @Override
  public String origin() {
    return ws.headers().get("Origin");
  }

  @Override
  public void textHandler(Handler<String> handler) {
    ws.textMessageHandler(handler);
    // binary frames are not part of protocol v1: answer them like any other unreadable frame
    ws.binaryMessageHandler(b -> handler.handle(null));
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    ws.closeHandler(handler);
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
  }

  @Override
  public boolean writeQueueFull() {
    // a closed socket throws here; its close handler is about to cancel the turns, so report room
    return !ws.isClosed() && ws.writeQueueFull();
  }

  @Override
  public void write(String frame) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(frame);
    }
  }

  @Override
  public Future<Void> close(short statusCode, String reason) {
    return ws.isClosed() ? Future.succeededFuture() : ws.close(statusCode, reason);
  }
}
