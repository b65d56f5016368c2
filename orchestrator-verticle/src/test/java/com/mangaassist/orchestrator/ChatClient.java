package com.mangaassist.orchestrator;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client speaking protocol v1 over a real WebSocket, either raw ({@code /ws}) or inside SockJS framing
 * ({@code /sockjs/.../websocket}). Frames are recorded in arrival order; the test thread waits on them.
 */
final class ChatClient implements AutoCloseable {

  /** Held for the socket's lifetime: Vert.x 5 closes a client (and its sockets) once it is unreachable. */
  private final WebSocketClient client;
  private final WebSocket ws;
  private final boolean sockJs;
  private final List<JsonObject> frames = new ArrayList<>();
  private volatile boolean closed;
  private volatile Short closeStatus;
  private volatile String closeReason;

  private ChatClient(WebSocketClient client, WebSocket ws, boolean sockJs) {
    this.client = client;
    this.ws = ws;
    this.sockJs = sockJs;
    if (ws.isClosed()) {
      // the server closed in the handshake's own packet: nothing more will arrive
      closed = true;
      return;
    }
    ws.textMessageHandler(this::onText);
    ws.closeHandler(v -> {
      closeStatus = ws.closeStatusCode();
      closeReason = ws.closeReason();
      closed = true;
      synchronized (frames) {
        frames.notifyAll();
      }
    });
  }

  static ChatClient connectWebSocket(Vertx vertx, int port, String uri) {
    return connect(vertx, port, uri, false);
  }

  /** SockJS's WebSocket transport, with its framing: {@code o} to open, {@code a[...]} for messages. */
  static ChatClient connectSockJs(Vertx vertx, int port, String query) {
    return connect(vertx, port, "/sockjs/000/" + Long.toHexString(System.nanoTime()) + "/websocket" + query, true);
  }

  /** Handlers are attached on the event loop as the socket opens, so not even the first frame can be missed. */
  private static ChatClient connect(Vertx vertx, int port, String uri, boolean sockJs) {
    WebSocketClient client = vertx.createWebSocketClient();
    return ChatHarness.await(client
        .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
        .map(ws -> new ChatClient(client, ws, sockJs)));
  }

  private void onText(String text) {
    List<JsonObject> received = new ArrayList<>();
    if (!sockJs) {
      received.add(new JsonObject(text));
    } else if (text.startsWith("a")) {
      for (Object message : new JsonArray(text.substring(1))) {
        received.add(new JsonObject(message.toString()));
      }
    }
    synchronized (frames) {
      frames.addAll(received);
      frames.notifyAll();
    }
  }

  void send(JsonObject frame) {
    sendRaw(frame.encode());
  }

  void sendRaw(String text) {
    ws.writeTextMessage(sockJs ? new JsonArray().add(text).encode() : text);
  }

  void query(String id, String text) {
    send(new JsonObject().put("action", "query").put("id", id).put("text", text));
  }

  /** Waits for the first frame (in arrival order) that matches. */
  JsonObject await(Predicate<JsonObject> condition) throws InterruptedException {
    return await(condition, 15);
  }

  /**
   * Waits longer for frames that depend on background work (predicted follow-ups are generated at the model's pace,
   * behind a global concurrency cap).
   */
  JsonObject await(Predicate<JsonObject> condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (frames) {
      while (true) {
        for (JsonObject frame : frames) {
          if (condition.test(frame)) {
            return frame;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          throw new AssertionError("no matching frame; received " + frames + (closed ? " (closed)" : ""));
        }
        frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  JsonObject awaitType(String type) throws InterruptedException {
    return await(f -> type.equals(f.getString("type")));
  }

  /** Waits for the terminal frame of a query and returns every frame of that query, in order. */
  /**
   * The frames of answer {@code id} up to its terminal frame, once that arrived. Frames of the same id that come after
   * it ({@code suggestions}: precompute may have answered the follow-ups of this very turn by then) are left out, so
   * {@link #last} is the terminal frame.
   */
  List<JsonObject> awaitAnswer(String id) throws InterruptedException {
    await(f -> id.equals(f.getString("id")) && isTerminal(f));
    List<JsonObject> all = framesOf(id);
    for (int i = 0; i < all.size(); i++) {
      if (isTerminal(all.get(i))) {
        return all.subList(0, i + 1);
      }
    }
    return all;
  }

  List<JsonObject> framesOf(String id) {
    synchronized (frames) {
      return frames.stream().filter(f -> id.equals(f.getString("id"))).toList();
    }
  }

  List<JsonObject> frames() {
    synchronized (frames) {
      return List.copyOf(frames);
    }
  }

  boolean awaitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (frames) {
      while (!closed && System.nanoTime() < deadline) {
        frames.wait(50);
      }
    }
    return closed;
  }

  Short closeStatus() {
    return closeStatus;
  }

  String closeReason() {
    return closeReason;
  }

  boolean isClosed() {
    return closed;
  }

  static boolean isTerminal(JsonObject frame) {
    String type = frame.getString("type");
    return "done".equals(type) || "error".equals(type);
  }

  /** The last frame of an answer: its terminal frame once {@link #awaitAnswer} returned. */
  static JsonObject last(List<JsonObject> frames) {
    return frames.get(frames.size() - 1);
  }

  static String text(List<JsonObject> answer) {
    StringBuilder text = new StringBuilder();
    answer.stream().filter(f -> "chunk".equals(f.getString("type"))).forEach(f -> text.append(f.getString("text")));
    return text.toString();
  }

  @Override
  public void close() {
    if (!closed) {
      ChatHarness.await(ws.close());
    }
    client.close();
  }
}
