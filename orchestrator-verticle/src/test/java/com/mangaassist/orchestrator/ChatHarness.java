package com.mangaassist.orchestrator;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorAdmin;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.emulator.TestEmulator;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real thing, in one test JVM: the Bedrock emulator on a free port, the orchestrator talking to it through
 * the AWS SDK, and the real Redis at {@code REDIS_URL} (default 127.0.0.1:6379; {@code .ci/run} starts one).
 */
final class ChatHarness implements AutoCloseable {

  static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256";

  final Vertx vertx;
  final EmulatorAdmin emulator;
  final int port;
  private final String orchestratorDeployment;
  private final HttpClient http = HttpClient.newHttpClient();

  private ChatHarness(Vertx vertx, int emulatorPort, int port, String orchestratorDeployment) {
    this.vertx = vertx;
    this.emulator = new EmulatorAdmin(emulatorPort);
    this.port = port;
    this.orchestratorDeployment = orchestratorDeployment;
  }

  static ChatHarness start() {
    return start(new JsonObject());
  }

  /** {@code overrides} is merged (deeply) into the combined test configuration. */
  static ChatHarness start(JsonObject overrides) {
    return start(overrides, false);
  }

  /** With {@code withPrecompute}, the precompute role runs in the same Vert.x, as in {@code bin/mangaassist dev}. */
  static ChatHarness start(JsonObject overrides, boolean withPrecompute) {
    Vertx vertx = Vertx.vertx();
    JsonObject config = config(overrides);
    EmulatorVerticle emulator = new EmulatorVerticle();
    await(vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config.getJsonObject("emulator"))));
    return startOrchestrator(vertx, emulator.actualPort(), config, withPrecompute);
  }

  /**
   * One more orchestrator node: a Vert.x of its own, the emulator at {@code emulatorPort} (running elsewhere), the
   * same Redis and JWT secret as every other node.
   */
  static ChatHarness startNode(int emulatorPort, JsonObject overrides) {
    return startOrchestrator(Vertx.vertx(), emulatorPort, config(overrides), false);
  }

  /** The combined test configuration with {@code overrides} merged in (deeply). */
  static JsonObject config(JsonObject overrides) {
    return ConfigFiles.load().mergeIn(testConfig(), true).mergeIn(overrides, true);
  }

  private static ChatHarness startOrchestrator(Vertx vertx, int emulatorPort, JsonObject config, boolean withPrecompute) {
    config.getJsonObject("model").put("endpoint", "http://127.0.0.1:" + emulatorPort);
    if (withPrecompute) {
      await(vertx.deployVerticle(new com.mangaassist.precompute.PrecomputeVerticle(),
          new DeploymentOptions().setConfig(config)));
    }
    OrchestratorVerticle orchestrator = new OrchestratorVerticle();
    String deployment = await(vertx.deployVerticle(orchestrator, new DeploymentOptions().setConfig(config)));
    return new ChatHarness(vertx, emulatorPort, orchestrator.actualPort(), deployment);
  }

  /** Undeploys the orchestrator as SIGTERM would (graceful shutdown); completes when it has stopped. */
  io.vertx.core.Future<Void> stopOrchestrator() {
    return vertx.undeploy(orchestratorDeployment);
  }

  private static JsonObject testConfig() {
    // slower than the emulator tests' profile so that a cancel or a disconnect lands mid-stream
    JsonObject emulator = TestEmulator.fastConfig();
    JsonObject profiles = emulator.getJsonObject("profiles");
    profiles.fieldNames().forEach(model -> profiles.getJsonObject(model).put("tokensPerSecond", 300));
    String redisUrl = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    return new JsonObject()
        .put("orchestrator", new JsonObject()
            .put("host", "127.0.0.1").put("port", 0).put("devMode", true)
            .put("auth", new JsonObject().put("jwtSecret", JWT_SECRET)))
        .put("emulator", emulator)
        .put("model", new JsonObject()
            .put("firstTokenTimeoutMs", 3000).put("idleTimeoutMs", 1000)
            .put("retry", new JsonObject().put("maxAttempts", 3).put("baseDelayMs", 10).put("maxDelayMs", 50)
                .put("deadlineMs", 2000))
            .put("keepAlive", new JsonObject().put("enabled", false))
            // fault tests fail the model on purpose, many times in a row: only ModelResilienceTest wants it to trip
            .put("circuitBreaker", new JsonObject().put("maxFailures", 10_000)))
        // withPrecompute: its status port anywhere free (a dev system or another test JVM may hold 8081)
        .put("precompute", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("redis", new JsonObject().put("url", redisUrl));
  }

  /**
   * Overrides that make the emulator write {@code tokensPerSecond} tokens a second on every model: answers that last
   * seconds, for tests that must act while one is streaming.
   */
  static JsonObject modelSpeed(int tokensPerSecond) {
    JsonObject profiles = new JsonObject();
    TestEmulator.fastConfig().getJsonObject("profiles").fieldNames()
        .forEach(model -> profiles.put(model, new JsonObject().put("tokensPerSecond", tokensPerSecond)));
    return new JsonObject().put("emulator", new JsonObject().put("profiles", profiles));
  }

  /**
   * The question with a reference number unique to this call: the semantic cache (real Redis, shared by every
   * run) must not answer a test that is about the model path.
   */
  static String fresh(String question) {
    return question + " (ref " + java.util.UUID.randomUUID().toString().substring(0, 8) + ")";
  }

  /**
   * Connects and authenticates with a first {@code auth} frame. (A {@code ?token=} query makes the server answer
   * {@code ready} in the same packet as the handshake, which a Vert.x client can receive before its handler is set;
   * the page and the launcher test cover the query-parameter path.)
   */
  ChatClient connect(String user) {
    ChatClient client = ChatClient.connectWebSocket(vertx, port, "/ws");
    client.send(new JsonObject().put("action", "auth").put("token", token(user)));
    return client;
  }

  /** One question from a new connection of {@code user}: the frames of its answer, up to its terminal frame. */
  List<JsonObject> ask(String user, String question) throws InterruptedException {
    try (ChatClient client = connect(user)) {
      client.awaitType("ready");
      client.query("q", question);
      return client.awaitAnswer("q");
    }
  }

  String token(String user) {
    return new JsonObject(get(port, "/auth/dev-token?user=" + user)).getString("token");
  }

  String get(int targetPort, String path) {
    return send(HttpRequest.newBuilder(uri(targetPort, path)).GET().build());
  }

  /** The HTTP status of a GET, whatever it is (a node shutting down answers {@code /ready} with 503). */
  int status(String path) {
    try {
      return http.send(HttpRequest.newBuilder(uri(port, path)).GET().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A gauge of this node's {@code /metrics} (Prometheus text, no labels). */
  double gauge(String name) {
    Double value = series(name);
    if (value == null) {
      throw new AssertionError(name + " is not on /metrics");
    }
    return value;
  }

  /** A counter of this node's {@code /metrics}, as written there with its labels; 0 before its first increment. */
  double counter(String seriesWithLabels) {
    Double value = series(seriesWithLabels);
    return value == null ? 0 : value;
  }

  private Double series(String series) {
    for (String line : get(port, "/metrics").split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return null;
  }

  private String send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  /** Blocks the test thread (never an event loop) until the future completes. */
  static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
