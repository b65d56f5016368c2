package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/mangaassist} exactly as a user types it. {@code REDIS_URL} points at a closed port, as on a
 * fresh laptop without Redis, so dev mode must start its embedded Redis.
 */
class DevCommandIT {

  private static final Path ROOT = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  private Process process;
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      // SIGTERM first, so the shutdown hook stops the embedded Redis; a killed JVM would leave it running
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unknownRolePrintsUsageAndFails() throws Exception {
    Process p = new ProcessBuilder(ROOT.resolve("bin/mangaassist").toString(), "no-such-role")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, p.exitValue());
    assertTrue(output.contains("unknown role: no-such-role"), output);
    assertTrue(output.contains("usage: bin/mangaassist ROLE"), output);
  }

  @Test
  void watchNeedsToBeToldWhatToWatch() throws Exception {
    Process p = new ProcessBuilder(ROOT.resolve("bin/mangaassist").toString(), "watch", "everything")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), output);
    assertTrue(output.contains("usage: bin/mangaassist watch alerts|results"), output);
  }

  @Test
  void devPrintsReadyLineAnswersAQueryAndStopsCleanly() throws Exception {
    int httpPort = freePort();
    int emulatorPort = freePort();
    int deadRedisPort = freePort();
    int benchmarkPort = freePort();
    int precomputePort = freePort();
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/mangaassist").toString(), "dev");
    builder.environment().put("HTTP_PORT", Integer.toString(httpPort));
    builder.environment().put("EMULATOR_PORT", Integer.toString(emulatorPort));
    builder.environment().put("BENCHMARK_PORT", Integer.toString(benchmarkPort));
    builder.environment().put("PRECOMPUTE_PORT", Integer.toString(precomputePort));
    builder.environment().put("REDIS_URL", "redis://127.0.0.1:" + deadRedisPort);
    builder.environment().remove("BEDROCK_ENDPOINT");
    java.nio.file.Files.deleteIfExists(ROOT.resolve("launcher/target/dev-command-it.log"));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(ROOT.resolve("launcher/target/dev-command-it.log").toFile()));
    process = builder.start();

    LinkedBlockingQueue<String> lines = ProcessLines.of(process);

    String ready = lines.poll(120, TimeUnit.SECONDS);
    assertEquals("MangaAssist ready at http://127.0.0.1:" + httpPort + "/", ready);

    HttpClient http = HttpClient.newHttpClient();
    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/auth/dev-token?user=it"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    String token = new JsonObject(body).getString("token");
    String benchmarkHealth = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + benchmarkPort + "/health"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertEquals("UP", new JsonObject(benchmarkHealth).getString("status"), "dev runs the benchmark role too");
    String precomputeReady = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + precomputePort + "/ready"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertEquals(true, new JsonObject(precomputeReady).getBoolean("consumers"), "precompute listens: " + precomputeReady);
    for (int port : new int[] {httpPort, precomputePort, benchmarkPort, emulatorPort}) {
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode(), "/metrics on " + port);
      assertTrue(metrics.body().contains("mangaassist_event_loop_lag_seconds_max"), "event-loop lag on " + port);
    }
    String readyJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertEquals("UP", new JsonObject(readyJson).getString("redis"), "dev mode runs with a live (embedded) Redis");

    vertx = Vertx.vertx();
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    CompletableFuture<JsonObject> terminal = new CompletableFuture<>();
    CompletableFuture<Void> secondStreaming = new CompletableFuture<>();
    CompletableFuture<JsonObject> secondTerminal = new CompletableFuture<>();
    CompletableFuture<Short> closedWith = new CompletableFuture<>();
    // keep the client referenced: Vert.x 5 closes an unreachable client together with its sockets
    WebSocketClient client = vertx.createWebSocketClient();
    // the handler is attached as the socket opens: the server's ready frame may share the handshake's packet
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(httpPort).setURI("/ws?token=" + token))
        .onSuccess(ws -> {
          ws.closeHandler(v -> closedWith.complete(ws.closeStatusCode()));
          ws.textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            frames.add(frame);
            String type = frame.getString("type");
            boolean isTerminal = "done".equals(type) || "error".equals(type);
            if (type.equals("ready")) {
              ws.writeTextMessage(new JsonObject().put("action", "query").put("id", "q1")
                  .put("text", "Recommend manga like One Piece").encode());
            } else if ("q1".equals(frame.getString("id")) && isTerminal) {
              terminal.complete(frame);
              ws.writeTextMessage(new JsonObject().put("action", "query").put("id", "q2")
                  .put("text", "Recommend a dark fantasy manga like Berserk").encode());
            } else if ("q2".equals(frame.getString("id")) && "chunk".equals(type)) {
              secondStreaming.complete(null);
            } else if ("q2".equals(frame.getString("id")) && isTerminal) {
              secondTerminal.complete(frame);
            }
          });
        })
        .onFailure(terminal::completeExceptionally);
    JsonObject done = terminal.get(60, TimeUnit.SECONDS);
    assertEquals("done", done.getString("type"), "terminal frame: " + done);
    String answer = frames.stream().filter(f -> f.getString("type").equals("chunk") && "q1".equals(f.getString("id")))
        .map(f -> f.getString("text")).reduce("", String::concat);
    assertFalse(answer.isBlank(), "the answer streamed some text");
    assertEquals("model", done.getJsonObject("metadata").getString("source"));

    secondStreaming.get(60, TimeUnit.SECONDS);
    process.toHandle().destroy(); // SIGTERM, as Ctrl-C would send SIGINT: the shutdown hook runs for both
    JsonObject second = secondTerminal.get(30, TimeUnit.SECONDS);
    assertEquals("done", second.getString("type"), "the answer streaming at SIGTERM finished: " + second);
    assertEquals((short) 1001, closedWith.get(30, TimeUnit.SECONDS), "then the socket was closed with going away");
    client.close();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dev stops on SIGTERM");
    assertTrue(lines.contains("MangaAssist stopped") || waitForLine(lines, "MangaAssist stopped"));
    String log = java.nio.file.Files.readString(ROOT.resolve("launcher/target/dev-command-it.log"));
    java.util.regex.Matcher embedded = java.util.regex.Pattern
        .compile("started an embedded Redis at redis://127.0.0.1:(\\d+)").matcher(log);
    assertTrue(embedded.find(), "dev mode started an embedded Redis when REDIS_URL did not answer");
    assertTrue(portIsFree(Integer.parseInt(embedded.group(1))), "the embedded Redis stopped with dev");
  }

  private static boolean waitForLine(LinkedBlockingQueue<String> lines, String expected) throws InterruptedException {
    String line;
    while ((line = lines.poll(5, TimeUnit.SECONDS)) != null) {
      if (line.equals(expected)) {
        return true;
      }
    }
    return false;
  }

  private static boolean portIsFree(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
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
