package com.mangaassist.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Dev mode's Redis: the one at {@code REDIS_URL} when something answers there, otherwise a real Redis server
 * (the binary shipped in the embedded-redis artifact) on a free loopback port, stopped with the JVM.
 */
final class RedisLocator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLocator.class);

  private final String url;
  private final RedisServer embedded;

  private RedisLocator(String url, RedisServer embedded) {
    this.url = url;
    this.embedded = embedded;
  }

  static RedisLocator locate(String configuredUrl) throws IOException {
    if (answersPing(configuredUrl)) {
      LOG.info("using Redis at {}", configuredUrl);
      return new RedisLocator(configuredUrl, null);
    }
    int port = freePort();
    RedisServer server = RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("save \"\"")
        .setting("appendonly no")
        .onShutdownForceStop(true)
        .build();
    server.start();
    String url = "redis://127.0.0.1:" + port;
    LOG.info("no Redis answered at {}; started an embedded Redis at {}", configuredUrl, url);
    return new RedisLocator(url, server);
  }

  String url() {
    return url;
  }

  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.stop();
      } catch (IOException e) {
        LOG.warn("embedded Redis did not stop cleanly: {}", e.getMessage());
      }
    }
  }

  /** A plain RESP PING over a socket, before Vert.x starts: blocking is fine on the main thread. */
  static boolean answersPing(String redisUrl) {
    URI uri = URI.create(redisUrl);
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 300);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("PING\r\n".getBytes());
      byte[] reply = new byte[64];
      int n = socket.getInputStream().read(reply);
      // "-NOAUTH" also proves a Redis is there; the URL then has to carry the password
      return n > 0 && (reply[0] == '+' || reply[0] == '-');
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
