package com.mangaassist.benchmark.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A client of the orchestrator's SockJS event-bus bridge ({@code /eventbus}) for tools: register for an address and
 * receive what is published there as {@code {"type":"rec","address":…,"body":…}} frames, pinging the bridge so it
 * keeps the socket. Frames are {@link JsonObject}s over either transport: the raw WebSocket one
 * ({@code /eventbus/websocket}, one JSON frame per message, which the bridge sends as binary messages) or SockJS's own framing
 * ({@code /eventbus/<server>/<session>/websocket}: {@code o} opens, {@code a[…]} carries messages, {@code h} beats).
 *
 * <p>The bridge acknowledges nothing and its {@code err} frames name no address. So that {@link #register} and the
 * others can say whether the bridge accepted the frame, each is followed by a probe frame without a {@code type},
 * which the bridge always answers with {@code missing_type}: frames are handled in order, so an error that arrives
 * before that answer is the refusal of the frame ({@code access_denied}, {@code max_handlers_reached}, …). Probe
 * answers are not passed to the frame handler; every other frame is, refusals included.
 *
 * <p>Everything runs on the socket's event loop; the methods may be called from any thread.
 */
public final class EventBusBridgeClient {

  /** The two ways of speaking to a SockJS endpoint over a WebSocket. */
  public enum Transport {
    /** {@code <prefix>/websocket}: each WebSocket text message is one JSON frame. */
    WEBSOCKET,
    /** {@code <prefix>/<server>/<session>/websocket}: SockJS framing inside the WebSocket. */
    SOCKJS
  }

  /** Below the bridge's default ping timeout (orchestrator.eventBusBridge.pingTimeoutMs, 30 s; Vert.x's own 10 s). */
  public static final long DEFAULT_PING_INTERVAL_MS = 5_000L;
  private static final String PROBE_ANSWER = "missing_type";

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Transport transport;
  private final Context context;
  private final Promise<Void> opened = Promise.promise();
  private final Deque<PendingAck> acks = new ArrayDeque<>();
  private volatile Consumer<JsonObject> frames = frame -> {};
  private volatile Runnable onClose = () -> {};
  private long pingTimer = -1;
  private volatile boolean closed;

  private EventBusBridgeClient(WebSocketClient client, WebSocket socket, Transport transport, Context context) {
    this.client = client;
    this.socket = socket;
    this.transport = transport;
    this.context = context;
    socket.textMessageHandler(this::onText);
    // the raw transport writes the bridge's frames as binary messages, SockJS framing as text
    socket.binaryMessageHandler(bytes -> onText(bytes.toString(StandardCharsets.UTF_8)));
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> {});
    if (transport == Transport.WEBSOCKET) {
      opened.tryComplete();
    }
    if (socket.isClosed()) {
      onClosed();
    }
  }

  /** {@link #connect(Vertx, String, Transport, Map, long)} over the raw WebSocket transport, no extra headers. */
  public static Future<EventBusBridgeClient> connect(Vertx vertx, String url) {
    return connect(vertx, url, Transport.WEBSOCKET, Map.of(), DEFAULT_PING_INTERVAL_MS);
  }

  /**
   * Opens a socket to the bridge at {@code url} ({@code ws://host:8080/eventbus}; {@code wss://}, {@code http://} and
   * {@code https://} work too; the path is the bridge's prefix, {@code /eventbus} when empty) and pings it every
   * {@code pingIntervalMs}. {@code headers} go on the handshake ({@code Origin}, for instance). Completes once the
   * bridge may be spoken to.
   */
  public static Future<EventBusBridgeClient> connect(Vertx vertx, String url, Transport transport,
      Map<String, String> headers, long pingIntervalMs) {
    URI uri = URI.create(url);
    boolean secure = "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    if (uri.getHost() == null) {
      return Future.failedFuture(new IllegalArgumentException("no host in bridge URL " + url));
    }
    String prefix = uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath())
        ? "/eventbus" : uri.getPath().replaceAll("/+$", "");
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80).setSsl(secure)
        .setURI(prefix + path(transport));
    headers.forEach(options::addHeader);
    // held for the socket's lifetime: Vert.x 5 closes a client (and its sockets) once nothing refers to it
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setConnectTimeout(30_000));
    // the handlers go on in the connect callback, before any frame of the handshake's packet is delivered
    return client.connect(options)
        .map(ws -> new EventBusBridgeClient(client, ws, transport, vertx.getOrCreateContext()))
        .compose(bridge -> bridge.opened.future().map(v -> bridge.startPinging(vertx, pingIntervalMs)))
        .onFailure(e -> client.close());
  }

  private static String path(Transport transport) {
    if (transport == Transport.WEBSOCKET) {
      return "/websocket";
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("/%03d/%016x/websocket", random.nextInt(1000), random.nextLong());
  }

  /** Every frame the bridge sends ({@code rec}, {@code err}), except the answers to this client's probes. */
  public EventBusBridgeClient handler(Consumer<JsonObject> handler) {
    this.frames = handler;
    return this;
  }

  /** Called once, on the socket's event loop, when the socket closed (either side). */
  public EventBusBridgeClient closeHandler(Runnable handler) {
    this.onClose = handler;
    return this;
  }

  /**
   * Registers for {@code address}; completes once the bridge accepted the registration, fails with the bridge's
   * error ({@code access_denied}, {@code max_handlers_reached}, {@code address_already_registered}) otherwise.
   */
  public Future<Void> register(String address) {
    return acknowledged(new JsonObject().put("type", "register").put("address", address));
  }

  public Future<Void> unregister(String address) {
    return acknowledged(new JsonObject().put("type", "unregister").put("address", address));
  }

  /** Publishes {@code body} on {@code address} through the bridge; fails with the bridge's error if refused. */
  public Future<Void> publish(String address, Object body) {
    return acknowledged(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  /** Sends {@code body} to one consumer of {@code address} through the bridge; fails with the bridge's error if refused. */
  public Future<Void> send(String address, Object body) {
    return acknowledged(new JsonObject().put("type", "send").put("address", address).put("body", body));
  }

  /** One {@code {"type":"ping"}}; the client also pings by itself every ping interval. */
  public void ping() {
    write(new JsonObject().put("type", "ping"));
  }

  public boolean isOpen() {
    return !closed;
  }

  /** Closes the socket (if the bridge has not already) and the client that opened it. */
  public Future<Void> close() {
    return socket.close().otherwiseEmpty().eventually(client::close);
  }

  private EventBusBridgeClient startPinging(Vertx vertx, long intervalMs) {
    ping();
    pingTimer = vertx.setPeriodic(intervalMs, id -> {
      if (!closed) {
        ping();
      }
    });
    return this;
  }

  private Future<Void> acknowledged(JsonObject frame) {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (closed) {
        promise.fail("bridge socket closed");
        return;
      }
      acks.add(new PendingAck(promise));
      write(frame);
      write(new JsonObject());
    });
    return promise.future();
  }

  private void write(JsonObject frame) {
    String text = frame.encode();
    socket.writeTextMessage(transport == Transport.SOCKJS ? new JsonArray().add(text).encode() : text);
  }

  private void onText(String text) {
    if (transport == Transport.WEBSOCKET) {
      onFrame(text);
    } else if ("o".equals(text)) {
      opened.tryComplete();
    } else if (text.startsWith("a")) {
      for (Object message : new JsonArray(text.substring(1))) {
        onFrame(message.toString());
      }
    }
    // "h" (heartbeat) and "c[…]" (the server is closing; the close itself follows) carry nothing for the tool
  }

  private void onFrame(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return;
    }
    if ("err".equals(frame.getString("type")) && !acks.isEmpty()) {
      PendingAck head = acks.peek();
      if (PROBE_ANSWER.equals(frame.getValue("body"))) {
        acks.poll();
        head.settle();
        return;
      }
      head.refuse(String.valueOf(frame.getValue("body")));
    }
    frames.accept(frame);
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    if (pingTimer >= 0) {
      context.owner().cancelTimer(pingTimer);
    }
    opened.tryFail("the bridge closed the socket before it opened");
    PendingAck ack;
    while ((ack = acks.poll()) != null) {
      ack.refuse("socket closed");
      ack.settle();
    }
    onClose.run();
  }

  /** A frame whose fate is known once the bridge answered the probe sent after it. */
  private static final class PendingAck {
    private final Promise<Void> promise;
    private String refusal;

    PendingAck(Promise<Void> promise) {
      this.promise = promise;
    }

    void refuse(String error) {
      if (refusal == null) {
        refusal = error;
      }
    }

    void settle() {
      if (refusal == null) {
        promise.tryComplete();
      } else {
        promise.tryFail(refusal);
      }
    }
  }
}
