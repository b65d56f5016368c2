package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.opensearchnode.NodeOptions;
import com.mangaassist.opensearchnode.OpenSearchNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator with OpenSearch as its retrieval backend, on a real local OpenSearch node (started once for this
 * class and stopped by its PID): {@code /ready} names the backend, a catalog change becomes findable without a
 * restart, and a node that hangs or cannot be reached costs the retrieval branch, never the answer.
 */
class OpenSearchRetrievalTest {

  private static final Path HOME = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();
  /** Generous, so a healthy search on a busy test machine is never the one dropped; a hung node still is. */
  private static final long RETRIEVAL_DEADLINE_MS = 3000;

  @TempDir
  static Path dir;

  private static OpenSearchNode node;
  private static Path catalogFile;
  private static ChatHarness harness;

  @BeforeAll
  static void start() throws Exception {
    node = OpenSearchNode.start(NodeOptions.defaults().withHttpPort(0));
    catalogFile = dir.resolve("catalog.json");
    Files.copy(HOME.resolve("conf/catalog/catalog.json"), catalogFile);
    harness = ChatHarness.start(overrides(node.url()));
  }

  @AfterAll
  static void stop() {
    try {
      if (harness != null) {
        harness.close();
      }
    } finally {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  void readyNamesOpenSearchAsTheLiveRetrievalBackend() {
    JsonObject ready = new JsonObject(harness.get(harness.port, "/ready"));
    assertEquals("opensearch", ready.getString("retrieval"), "ready: " + ready);
  }

  @Test
  void aTitleAddedToTheCatalogIsFoundThroughOpenSearchWithoutRestart() throws Exception {
    JsonObject catalog = new JsonObject(Files.readString(catalogFile));
    catalog.put("catalogVersion", catalog.getInteger("catalogVersion") + 1);
    catalog.getJsonArray("titles").add(new JsonObject()
        .put("titleId", "lighthouse-pigeons").put("title", "Pigeons of the Frozen Lighthouse").put("romaji", "")
        .put("aliases", new JsonArray()).put("author", "Nobody Real")
        .put("genres", new JsonArray().add("drama").add("sci-fi")).put("demographic", "seinen")
        .put("status", "ongoing").put("publisher", "Test Press").put("startYear", 2026).put("volumes", 1)
        .put("latestVolume", new JsonObject().put("number", 1).put("releaseDate", "2026-01-01"))
        .put("priceJpy", 700).put("stock", new JsonObject().put("1", 5))
        .put("synopsis", "A retired lighthouse keeper on a frozen moon trains carrier pigeons to deliver poems to a "
            + "lost submarine crew."));
    Files.writeString(catalogFile, catalog.encodePrettily());

    // the reload is polled every 100 ms and the sync embeds and writes one title: seconds at most
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject done;
    List<String> cardIds;
    int attempt = 0;
    try (ChatClient client = harness.connect("opensearch-reader")) {
      client.awaitType("ready");
      do {
        String id = "n" + attempt++;
        client.query(id, ChatHarness.fresh("Recommend a manga about a lighthouse keeper who trains carrier pigeons"));
        List<JsonObject> answer = client.awaitAnswer(id);
        done = ChatClient.last(answer);
        cardIds = answer.stream().filter(frame -> "cards".equals(frame.getString("type")))
            .flatMap(frame -> frame.getJsonArray("items").stream())
            .map(item -> ((JsonObject) item).getString("titleId")).toList();
      } while (!(cardIds.contains("lighthouse-pigeons") && retrievalAnswered(done)) && System.nanoTime() < deadline);
    }
    assertEquals("done", done.getString("type"), "answer: " + done);
    assertTrue(cardIds.contains("lighthouse-pigeons"), "cards: " + cardIds);
    assertNull(done.getJsonObject("metadata").getJsonObject("timings").getString("retrieval_branch"),
        "retrieval answered within its deadline: " + done);
  }

  @Test
  void aHungNodeIsDroppedAtTheRetrievalDeadlineAndTheAnswerStillStreams() throws Exception {
    try (ChatClient client = harness.connect("opensearch-hung")) {
      client.awaitType("ready");
      signal("-STOP"); // the node's JVM stops in its tracks: connections open, no answer ever
      JsonObject timings;
      List<JsonObject> answer;
      try {
        client.query("h1", ChatHarness.fresh("Recommend a dark fantasy manga"));
        answer = client.awaitAnswer("h1");
      } finally {
        signal("-CONT");
      }
      JsonObject done = ChatClient.last(answer);
      assertEquals("done", done.getString("type"), "answer: " + done);
      assertFalse(ChatClient.text(answer).isBlank(), "the answer streamed without retrieval");
      timings = done.getJsonObject("metadata").getJsonObject("timings");
      assertEquals("dropped", timings.getString("retrieval_branch"), "timings: " + timings);
      assertTrue(harness.get(harness.port, "/metrics").contains("branch=\"retrieval\",outcome=\"dropped\""));

      // once the node runs again, so does retrieval (its first answers may still be slow while it catches up)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      JsonObject after;
      int attempt = 0;
      do {
        String id = "r" + attempt++;
        client.query(id, ChatHarness.fresh("Recommend a dark fantasy manga"));
        after = ChatClient.last(client.awaitAnswer(id));
      } while (!retrievalAnswered(after) && System.nanoTime() < deadline);
      assertTrue(retrievalAnswered(after), "after the node resumed: " + after);
    }
  }

  @Test
  void anUnreachableNodeNeitherKeepsTheOrchestratorFromStartingNorStopsTheAnswer() throws Exception {
    try (ChatHarness withoutNode = ChatHarness.start(overrides("http://127.0.0.1:" + closedPort()))) {
      assertEquals("opensearch", new JsonObject(withoutNode.get(withoutNode.port, "/ready")).getString("retrieval"));
      try (ChatClient client = withoutNode.connect("opensearch-down")) {
        client.awaitType("ready");
        client.query("d1", ChatHarness.fresh("Recommend a manga about volleyball"));
        List<JsonObject> answer = client.awaitAnswer("d1");
        JsonObject done = ChatClient.last(answer);
        assertEquals("done", done.getString("type"), "answer: " + done);
        assertFalse(ChatClient.text(answer).isBlank());
        assertEquals("failed", done.getJsonObject("metadata").getJsonObject("timings").getString("retrieval_branch"));
      }
    }
  }

  private static boolean retrievalAnswered(JsonObject done) {
    return "done".equals(done.getString("type"))
        && done.getJsonObject("metadata").getJsonObject("timings").getString("retrieval_branch") == null;
  }

  private static JsonObject overrides(String openSearchUrl) {
    return new JsonObject()
        .put("orchestrator", new JsonObject()
            .put("catalog", catalogFile.toString())
            .put("catalogReloadIntervalMs", 100)
            .put("fanout", new JsonObject().put("retrievalMs", RETRIEVAL_DEADLINE_MS)))
        .put("retrieval", new JsonObject().put("opensearch", new JsonObject()
            .put("url", openSearchUrl)
            // the request itself may take longer than the branch's deadline: the deadline is what drops it
            .put("searchTimeoutMs", 10_000)
            .put("retryMinMs", 500)));
  }

  /** Sends a signal to the node we started, by its PID. */
  private static void signal(String signal) throws IOException, InterruptedException {
    int status = new ProcessBuilder("kill", signal, Long.toString(node.pid())).inheritIO().start().waitFor();
    assertEquals(0, status, "kill " + signal + " " + node.pid());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
