package com.mangaassist.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** A SockJS session at {@code /sockjs} (WebSocket or one of its HTTP fallbacks). */
final class SockJsChannel implements ClientChannel {

  private final SockJSSocket socket;
  private boolean closed;

  SockJsChannel(SockJSSocket socket, int writeQueueMaxChars) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(writeQueueMaxChars);
    socket.exceptionHandler(e -> { });
  }

  @Override
  public String uri() {
    return socket.uri();
  }

  @Override
  public String origin() {
    return socket.headers().get("Origin");
  }

  @Override
  public void textHandler(Handler<String> handler) {
    socket.handler(buffer -> handler.handle(buffer.toString()));
  }

  @Override
  public void closeHandler(Handler<Void> handler) {
    socket.endHandler(v -> {
      closed = true;
      handler.handle(null);
    });
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void write(String frame) {
    if (!closed) {
      socket.write(frame);
    }
  }

  @Override
  public Future<Void> close(short statusCode, String reason) {
    if (!closed) {
      closed = true;
      // SockJS writes the close frame (c[code,"reason"]) and reports nothing back
      socket.close(statusCode, reason);
    }
    return Future.succeededFuture();
  }
}
