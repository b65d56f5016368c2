package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.ClusterStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The roles as separate processes joined over Hazelcast on 127.0.0.1, each started as a user would
 * ({@code bin/mangaassist ROLE --cluster}): an emulator, two orchestrators and a precompute role. The test itself
 * joins as a lite member to see what crosses the bus. The last test kills the precompute process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final long ANSWER_TIMEOUT_MS = 60_000;

  private static final List<RoleProcess> PROCESSES = new CopyOnWriteArrayList<>();
  private static RoleProcess precompute;
  private static RoleProcess orchestratorB;
  private static Map<String, String> clusterEnv;
  private static int portA;
  private static int portB;
  private static Vertx member;
  private static Vertx client;
  private static ChatEndpoint nodeA;
  private static ChatEndpoint nodeB;
  private static final List<JsonObject> READY_ON_BUS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    int hazelcastBase = freeRange(12);
    clusterEnv = new HashMap<>();
    clusterEnv.put("CLUSTER_NAME", "cluster-it-" + UUID.randomUUID());
    clusterEnv.put("CLUSTER_PORT", Integer.toString(hazelcastBase));
    clusterEnv.put("CLUSTER_MEMBERS", "127.0.0.1");
    int emulatorPort = freePort();
    portA = freePort();
    portB = freePort();
    Map<String, String> chat = new HashMap<>(clusterEnv);
    chat.put("BEDROCK_ENDPOINT", "http://127.0.0.1:" + emulatorPort);
    chat.put("DEV_MODE", "true");
    chat.put("JWT_SECRET", "cluster-it-secret-" + UUID.randomUUID());
    chat.put("PRECOMPUTE_PORT", "0");

    RoleProcess emulator = started("cluster-it-emulator", with(clusterEnv, "EMULATOR_PORT", emulatorPort), "emulator");
    emulator.awaitLine("MangaAssist Bedrock emulator ready", 120);
    precompute = started("cluster-it-precompute", chat, "precompute");
    RoleProcess orchestratorA = started("cluster-it-orchestrator-a", with(chat, "HTTP_PORT", portA), "orchestrator");
    orchestratorB = started("cluster-it-orchestrator-b", with(chat, "HTTP_PORT", portB), "orchestrator");
    precompute.awaitLine("MangaAssist precompute ready", 180);
    orchestratorA.awaitLine("MangaAssist orchestrator ready", 180);
    orchestratorB.awaitLine("MangaAssist orchestrator ready", 180);

    JsonObject cluster = new JsonObject().put("name", clusterEnv.get("CLUSTER_NAME")).put("members", "127.0.0.1")
        .put("port", hazelcastBase).put("host", "127.0.0.1");
    member = VertxStarter.clustered(cluster, true).await(60, TimeUnit.SECONDS);
    member.eventBus().<JsonObject>consumer(Addresses.PRECOMPUTE_READY, m -> READY_ON_BUS.add(m.body()))
        .completion().await(30, TimeUnit.SECONDS);
    client = Vertx.vertx();
    nodeA = ChatEndpoint.of(client, "ws://127.0.0.1:" + portA + "/ws", 8);
    nodeB = ChatEndpoint.of(client, "ws://127.0.0.1:" + portB + "/ws", 8);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (client != null) {
      client.close().await(10, TimeUnit.SECONDS);
    }
    if (member != null) {
      member.close().await(30, TimeUnit.SECONDS);
    }
    for (RoleProcess process : PROCESSES) {
      process.close();
    }
  }

  @Test
  @Order(1)
  void everyNodeReportsTheClusterInReady() throws Exception {
    for (int port : new int[] {portA, portB}) {
      JsonObject ready = new JsonObject(get("http://127.0.0.1:" + port + "/ready"));
      JsonObject cluster = ready.getJsonObject("cluster");
      assertEquals("clustered", cluster.getString("mode"), ready.encode());
      assertEquals("UP", cluster.getString("status"), ready.encode());
      // emulator, precompute, two orchestrators and this test's lite member
      assertEquals(5, cluster.getInteger("members"), ready.encode());
      assertFalse(ready.getBoolean("degraded"), ready.encode());
    }
    assertEquals(5, ClusterStatus.of(member).getInteger("members"));
  }

  @Test
  @Order(2)
  void aTurnOnNodeAIsPrecomputedInItsOwnProcessAndTheFollowUpIsServedOnNodeBAfterResume() throws Exception {
    String user = "cluster-it-" + UUID.randomUUID();
    List<JsonObject> suggestionsOnA = new CopyOnWriteArrayList<>();
    ChatSocket onA = await(nodeA.connect(user));
    onA.otherFrameHandler(frame -> {
      if ("suggestions".equals(frame.getString("type"))) {
        suggestionsOnA.add(frame);
      }
    });
    String sessionId = await(onA.ready());
    QueryOutcome first = await(onA.ask("q1", "Tell me about One Piece", System.nanoTime(), ANSWER_TIMEOUT_MS));
    assertTrue(first.succeeded(), "first answer on node A: " + first);

    // the precompute process heard the turn over the cluster and announced its answers over it
    // (re-published as each answer is stored: wait for the one that lists the purchase question)
    JsonObject announced = eventually(() -> READY_ON_BUS.stream()
        .filter(r -> sessionId.equals(r.getString("sessionId")) && offersPurchase(r.getJsonArray("suggestions")))
        .findFirst().orElse(null), r -> r != null);
    assertEquals("q1", announced.getString("queryId"), announced.encode());
    // node A holds the socket, so node A pushed the chips to it
    JsonObject chips = eventually(() -> suggestionsOnA.isEmpty() ? null : suggestionsOnA.get(0), c -> c != null);
    assertEquals("q1", chips.getString("id"));
    await(onA.close());

    // the shopper's connection moves to node B (a restart, a load balancer) and resumes the conversation there
    ChatSocket onB = await(nodeB.connect(user));
    await(onB.ready());
    assertTrue(await(onB.resume(sessionId)), "node B resumed the session started on node A");
    QueryOutcome followUp = await(onB.ask("q2", "Where can I buy it?", System.nanoTime(), ANSWER_TIMEOUT_MS));
    assertTrue(followUp.succeeded(), "follow-up on node B: " + followUp);
    assertEquals("precomputed", followUp.source(), "served from what the precompute process stored: " + followUp);
    assertEquals("purchase", followUp.metadata().getString("intent"));
    assertTrue(followUp.metadata().getJsonArray("entities").encode().contains("one-piece"),
        "about the title discussed on node A: " + followUp.metadata().encode());
    await(onB.close());
  }

  @Test
  @Order(3)
  void watchPrintsAnAlertPublishedAnywhereInTheCluster() throws Exception {
    try (RoleProcess watch = RoleProcess.start("cluster-it-watch", clusterEnv, "watch", "alerts")) {
      PROCESSES.add(watch);
      // its joining message goes to stderr; wait until it sees the cluster, then publish from this member
      eventually(() -> ClusterStatus.of(member).getInteger("members"), n -> n == 6);
      JsonObject alert = new JsonObject().put("severity", "SEV-2").put("intent", "recommendation")
          .put("metric", "first_token_ms").put("baseline", 410.0).put("current", 620.0).put("pValue", 0.0004)
          .put("effect", 0.61).put("action", "page").put("ref", UUID.randomUUID().toString());
      assertEquals(alert, new JsonObject(publishUntilPrinted(watch, Addresses.ALERTS, alert)), "one JSON line");
    }
  }

  @Test
  @Order(4)
  void watchThroughNodeAsBridgePrintsABenchmarkResultPublishedElsewhereInTheCluster() throws Exception {
    try (RoleProcess watch = RoleProcess.start("cluster-it-watch-bridge", Map.of(), "watch", "results", "--bridge",
        "ws://127.0.0.1:" + portA + "/eventbus")) {
      PROCESSES.add(watch);
      JsonObject result = new JsonObject().put("runId", UUID.randomUUID().toString()).put("worstSeverity", "none")
          .put("verdicts", new JsonArray());
      // published on this test's member: it crosses the cluster to node A, whose bridge passes it to the watcher
      assertEquals(result, new JsonObject(publishUntilPrinted(watch, Addresses.BENCH_RESULT, result)));
    }
  }

  @Test
  @Order(5)
  void killingThePrecomputeProcessDoesNotDisturbChat() throws Exception {
    precompute.process.destroyForcibly();
    assertTrue(precompute.process.waitFor(30, TimeUnit.SECONDS));
    for (ChatEndpoint node : List.of(nodeA, nodeB)) {
      ChatSocket socket = await(node.connect("cluster-it-" + UUID.randomUUID()));
      await(socket.ready());
      for (String question : List.of("Recommend manga like Berserk", "Is Chainsaw Man volume 1 in stock?")) {
        QueryOutcome outcome = await(socket.ask(UUID.randomUUID().toString(), question, System.nanoTime(),
            ANSWER_TIMEOUT_MS));
        assertTrue(outcome.succeeded(), question + " answered without the precompute process: " + outcome);
        assertTrue(outcome.chars() > 0, "with text: " + outcome);
      }
      await(socket.close());
    }
    // Hazelcast drops the killed member once its heartbeats stop; the chat nodes stay ready throughout
    eventually(() -> new JsonObject(get("http://127.0.0.1:" + portB + "/ready")).getJsonObject("cluster")
        .getInteger("members"), n -> n == 4);
  }

  @Test
  @Order(6)
  void anOrchestratorStoppedWithSigtermLeavesTheClusterAndTheOtherKeepsAnswering() throws Exception {
    int before = ClusterStatus.of(member).getInteger("members");
    orchestratorB.close();
    // its shutdown hook drained the chat, then closed Vert.x, which left the cluster
    String log = java.nio.file.Files.readString(RoleProcess.log(orchestratorB.name));
    assertTrue(log.indexOf("chat stopped") >= 0 && log.indexOf("chat stopped") < log.indexOf("left the cluster"), log);
    eventually(() -> ClusterStatus.of(member).getInteger("members"), n -> n == before - 1);
    ChatSocket socket = await(nodeA.connect("cluster-it-" + UUID.randomUUID()));
    await(socket.ready());
    QueryOutcome outcome = await(socket.ask("q", "Recommend a romance manga", System.nanoTime(), ANSWER_TIMEOUT_MS));
    assertTrue(outcome.succeeded(), outcome.toString());
    await(socket.close());
  }

  /** Publishes from this test's member until {@code watch} prints a line: its listener may start a moment late. */
  private static String publishUntilPrinted(RoleProcess watch, String address, JsonObject body) throws Exception {
    CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
      try {
        return watch.awaitLine("{", 60);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    while (!printed.isDone()) {
      member.eventBus().publish(address, body);
      Thread.sleep(500);
    }
    return printed.get();
  }

  private static boolean offersPurchase(JsonArray suggestions) {
    return suggestions.stream().map(JsonObject.class::cast).anyMatch(s -> "purchase".equals(s.getString("intent")));
  }

  private static RoleProcess started(String name, Map<String, String> env, String role) throws IOException {
    RoleProcess process = RoleProcess.start(name, env, role, "--cluster");
    PROCESSES.add(process);
    return process;
  }

  private static Map<String, String> with(Map<String, String> env, String key, int value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, Integer.toString(value));
    return copy;
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.await(ANSWER_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS);
  }

  private static <T> T eventually(Supplier<T> probe, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    T value = probe.get();
    while (!done.test(value)) {
      assertTrue(System.nanoTime() < deadline, "never reached; last seen: " + value);
      Thread.sleep(200);
      value = probe.get();
    }
    return value;
  }

  private static String get(String url) {
    try {
      // HTTP/1.1: the JDK client's h2c upgrade against the emulator can hang (see DevCommandIT)
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new IllegalStateException(url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The first of {@code count} consecutive free ports, for Hazelcast members that take the next free one. */
  private static int freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 20_000);
      boolean free = true;
      for (int port = base; port < base + count && free; port++) {
        try (ServerSocket socket = new ServerSocket(port)) {
          free = true;
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }
}
