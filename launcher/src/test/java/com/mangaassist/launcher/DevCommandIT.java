package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the launcher as users run it: {@code bin/mangaassist} exactly as typed (with {@code REDIS_URL} at a closed port,
 * as on a fresh laptop without Redis, so dev mode must start its embedded Redis), or {@code java -jar} as a container
 * does.
 */
class DevCommandIT {

  private static final Path ROOT = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();
  private static final Path JSON_LOG = ROOT.resolve("launcher/target/json-logs-it.log");

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

    // HTTP/1.1, as Prometheus scrapes: the JDK client's h2c upgrade against the emulator (which speaks h2c) hung for
    // two minutes on the whole process's /metrics in one CI run, then failed with EOF
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

  /**
   * {@code LOG_FORMAT=json} as a container runs the jar ({@code java -jar mangaassist.jar dev}): every line on stderr
   * is one JSON object, and one question's lines from the orchestrator and from the precompute role carry the same
   * {@code requestId} (the one the shopper sees in {@code done.metadata.request_id}) and {@code sessionId}.
   */
  @Test
  void jsonLogsCarryOneQuestionsRequestIdAcrossRoles() throws Exception {
    int httpPort = freePort();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dmangaassist.home=" + ROOT, "-jar", ROOT.resolve("launcher/target/mangaassist.jar").toString(), "dev");
    builder.environment().put("LOG_FORMAT", "json");
    builder.environment().put("HTTP_PORT", Integer.toString(httpPort));
    builder.environment().put("EMULATOR_PORT", Integer.toString(freePort()));
    builder.environment().put("BENCHMARK_PORT", Integer.toString(freePort()));
    builder.environment().put("PRECOMPUTE_PORT", Integer.toString(freePort()));
    builder.environment().remove("BEDROCK_ENDPOINT");
    Files.deleteIfExists(JSON_LOG);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(JSON_LOG.toFile()));
    process = builder.start();
    LinkedBlockingQueue<String> stdout = ProcessLines.of(process);
    assertEquals("MangaAssist ready at http://127.0.0.1:" + httpPort + "/", stdout.poll(120, TimeUnit.SECONDS));

    JsonObject done = askOne(httpPort, "q1", "Is volume 108 of One Piece in stock?");
    assertEquals("done", done.getString("type"), "terminal frame: " + done);
    String requestId = done.getJsonObject("metadata").getString("request_id");
    assertNotNull(requestId, "the answer names its request id: " + done);

    JsonObject precompute = awaitLine(requestId, "com.mangaassist.precompute.PrecomputeVerticle");
    process.destroy();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dev stops on SIGTERM");

    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(JSON_LOG)) {
      if (!line.isBlank()) {
        lines.add(parsed(line).orElseGet(() -> fail("not one JSON object per line: " + line)));
      }
    }
    JsonObject completed = lines.stream()
        .filter(l -> "com.mangaassist.orchestrator.Turn".equals(l.getString("loggerName")))
        .filter(l -> requestId.equals(keys(l).getString("requestId")))
        .filter(l -> "turn completed".equals(l.getString("formattedMessage")))
        .findFirst().orElseGet(() -> fail("no 'turn completed' line of " + requestId + " from the orchestrator"));
    assertEquals("INFO", completed.getString("level"));
    JsonObject turn = keys(completed);
    for (String key : List.of("sessionId", "intent", "source", "model", "first_token_ms", "total_ms")) {
      assertNotNull(turn.getValue(key), key + " in " + completed);
    }
    assertEquals(turn.getString("sessionId"), keys(precompute).getString("sessionId"), "the same turn in both roles");
    assertEquals(1, lines.stream().filter(l -> requestId.equals(keys(l).getString("requestId")))
        .filter(l -> "turn completed".equals(l.getString("formattedMessage"))).count(), "one line per turn");
  }

  /** Asks one question over {@code /ws} with a dev token; completes with its terminal frame. */
  private JsonObject askOne(int httpPort, String id, String question) throws Exception {
    String token = new JsonObject(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/auth/dev-token?user=json-logs")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).getString("token");
    vertx = Vertx.vertx();
    CompletableFuture<JsonObject> terminal = new CompletableFuture<>();
    // keep the client referenced: Vert.x 5 closes an unreachable client together with its sockets
    WebSocketClient client = vertx.createWebSocketClient();
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(httpPort).setURI("/ws?token=" + token))
        .onSuccess(ws -> ws.textMessageHandler(text -> {
          JsonObject frame = new JsonObject(text);
          String type = frame.getString("type");
          if ("ready".equals(type)) {
            ws.writeTextMessage(new JsonObject().put("action", "query").put("id", id).put("text", question).encode());
          } else if (id.equals(frame.getString("id")) && ("done".equals(type) || "error".equals(type))) {
            terminal.complete(frame);
          }
        }))
        .onFailure(terminal::completeExceptionally);
    JsonObject frame = terminal.get(60, TimeUnit.SECONDS);
    client.close();
    return frame;
  }

  /** The first line of {@code logger} about {@code requestId}, once the process has written it. */
  private static JsonObject awaitLine(String requestId, String logger) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(JSON_LOG)) {
        Optional<JsonObject> json = parsed(line).filter(l -> logger.equals(l.getString("loggerName"))
            && requestId.equals(keys(l).getString("requestId")));
        if (json.isPresent()) {
          return json.get();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no line of " + logger + " with requestId " + requestId + " in " + JSON_LOG);
  }

  private static Optional<JsonObject> parsed(String line) {
    try {
      return Optional.of(new JsonObject(line));
    } catch (RuntimeException notOneObject) {
      return Optional.empty();
    }
  }

  /** logback's JsonEncoder writes key-values as {@code "kvpList": [{"requestId":"…"}, …]}: as one object. */
  private static JsonObject keys(JsonObject line) {
    JsonObject keys = new JsonObject();
    JsonArray pairs = line.getJsonArray("kvpList", new JsonArray());
    pairs.forEach(pair -> keys.mergeIn((JsonObject) pair));
    return keys;
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
