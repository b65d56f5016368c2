package com.mangaassist.benchmark.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A running MangaAssist seen from outside: its public WebSocket URL ({@code ws://host:8080/ws}), dev tokens from
 * {@code /auth/dev-token}, and its Prometheus {@code /metrics}. Shared by the load generator and synthetic replay so
 * both measure exactly what a browser would.
 */
public final class ChatEndpoint {

  private final Vertx vertx;
  private final URI url;
  private final boolean secure;
  private final int port;
  /** Held for the endpoint's lifetime: Vert.x 5 closes a client (and its sockets) once nothing refers to it. */
  private final WebSocketClient sockets;
  private final HttpClient http;

  private ChatEndpoint(Vertx vertx, URI url, int maxSockets) {
    this.vertx = vertx;
    this.url = url;
    this.secure = "wss".equals(url.getScheme());
    this.port = url.getPort() > 0 ? url.getPort() : secure ? 443 : 80;
    this.sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxSockets)
        .setSsl(secure).setTrustAll(false).setConnectTimeout(30_000));
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(secure).setConnectTimeout(30_000),
        new PoolOptions().setHttp1MaxSize(32));
  }

  /** {@code url}: {@code ws://} or {@code wss://}, path defaulting to {@code /ws}. */
  public static ChatEndpoint of(Vertx vertx, String url, int maxSockets) {
    URI uri = URI.create(url);
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("--url must be ws:// or wss:// (got " + url + ")");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("--url has no host: " + url);
    }
    return new ChatEndpoint(vertx, uri, Math.max(1, maxSockets));
  }

  /** A signed token for {@code user} from the dev-mode endpoint; fails with a readable reason outside dev mode. */
  public Future<String> devToken(String user) {
    return get("/auth/dev-token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8))
        .map(body -> {
          String token = new JsonObject(body).getString("token");
          if (token == null) {
            throw new IllegalStateException("no token in the dev-token answer");
          }
          return token;
        });
  }

  /** Opens a socket as {@code user} (dev token) and completes once the server said {@code ready}. */
  public Future<ChatSocket> connect(String user) {
    return devToken(user).compose(this::connectWithToken);
  }

  public Future<ChatSocket> connectWithToken(String token) {
    String path = url.getPath() == null || url.getPath().isEmpty() ? "/ws" : url.getPath();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(url.getHost()).setPort(port)
        .setSsl(secure).setURI(path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    // the socket's handlers go on in the connect callback, on its event loop, before the handshake packet's
    // own frames (the server sends ready in it) are delivered
    return sockets.connect(options)
        .map(ws -> new ChatSocket(vertx, ws))
        .compose(socket -> socket.ready().map(sessionId -> socket));
  }

  /** The Prometheus text exposition of the orchestrator ({@code /metrics}, same host and port). */
  public Future<String> metricsText() {
    return get("/metrics");
  }

  private Future<String> get(String pathAndQuery) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(url.getHost()).setPort(port)
        .setSsl(secure).setURI(pathAndQuery).setTimeout(30_000);
    return http.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> checked(response, body, pathAndQuery)));
  }

  private static String checked(HttpClientResponse response, Buffer body, String path) {
    if (response.statusCode() != 200) {
      String what = path.startsWith("/auth/dev-token") ? " (is the system running in dev mode?)" : "";
      throw new IllegalStateException("GET " + path.replaceAll("\\?.*", "") + " answered HTTP "
          + response.statusCode() + what);
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  public Future<Void> close() {
    return Future.join(sockets.close(), http.close()).mapEmpty();
  }
}
