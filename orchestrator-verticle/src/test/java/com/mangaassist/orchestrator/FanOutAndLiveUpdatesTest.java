package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.bus.Addresses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fan-out branch that never answers is dropped at its deadline while the answer streams; the catalog and the
 * routing table change under a running orchestrator without a restart.
 */
class FanOutAndLiveUpdatesTest {

  private static final Path HOME = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  @TempDir
  static Path dir;

  /** A "Redis" that accepts connections and never says a word: the slowest dependency there is. */
  private static ServerSocket blackHole;
  private static final List<Socket> swallowed = new CopyOnWriteArrayList<>();
  private static Path catalogFile;
  private static ChatHarness harness;

  @BeforeAll
  static void start() throws IOException {
    blackHole = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      while (!blackHole.isClosed()) {
        try {
          swallowed.add(blackHole.accept());
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    catalogFile = dir.resolve("catalog.json");
    Files.copy(HOME.resolve("conf/catalog/catalog.json"), catalogFile);
    JsonObject routing = new JsonObject().put("active", 2).put("versions", new JsonObject()
        .put("1", new JsonObject().put("default", new JsonObject().put("model", "haiku").put("maxTokens", 300))
            .put("intents", new JsonObject().put("recommendation", new JsonObject().put("model", "sonnet"))))
        .put("2", new JsonObject().put("default", new JsonObject().put("model", "haiku").put("maxTokens", 300))));
    harness = ChatHarness.start(new JsonObject()
        .put("cache", new JsonObject().put("url", "redis://127.0.0.1:" + blackHole.getLocalPort()))
        .put("orchestrator", new JsonObject()
            .put("catalog", catalogFile.toString())
            .put("catalogReloadIntervalMs", 100))
        .put("routing", routing));
  }

  @AfterAll
  static void stop() throws IOException {
    harness.close();
    blackHole.close();
    for (Socket socket : swallowed) {
      socket.close();
    }
  }

  @Test
  void aCacheThatNeverAnswersIsDroppedAndTheAnswerStillStreams() throws Exception {
    try (ChatClient client = harness.connect("slow-branch")) {
      client.awaitType("ready");
      client.query("q1", ChatHarness.fresh("Tell me about Pluto by Naoki Urasawa"));
      List<JsonObject> answer = client.awaitAnswer("q1");
      JsonObject done = answer.get(answer.size() - 1);
      assertEquals("done", done.getString("type"), "answer: " + done);
      assertEquals("model", done.getJsonObject("metadata").getString("source"));
      assertFalse(ChatClient.text(answer).isBlank());
      JsonObject timings = done.getJsonObject("metadata").getJsonObject("timings");
      assertEquals("dropped", timings.getString("cache_branch"), "timings: " + timings);
      // the operator sees how long each branch held the turn: the dropped one its whole deadline (30 ms by default)
      assertTrue(timings.getDouble("cache_ms") >= 29, "timings: " + timings);
      assertTrue(timings.containsKey("history_ms") && timings.containsKey("profile_ms"), "timings: " + timings);
      assertTrue(harness.get(harness.port, "/metrics").contains("branch=\"cache\",outcome=\"dropped\""));
    }
  }

  @Test
  void aChangedCatalogFileIsReloadedPublishedAndServedWithoutRestart() throws Exception {
    CompletableFuture<JsonObject> published = new CompletableFuture<>();
    ChatHarness.await(harness.vertx.eventBus().<JsonObject>consumer(Addresses.CATALOG_UPDATED,
        message -> published.complete(message.body())).completion());

    JsonObject catalog = new JsonObject(Files.readString(catalogFile));
    catalog.put("catalogVersion", 2);
    for (Object item : catalog.getJsonArray("titles")) {
      JsonObject title = (JsonObject) item;
      if (title.getString("titleId").equals("dorohedoro")) {
        title.put("priceJpy", 999);
      }
    }
    Files.writeString(catalogFile, catalog.encodePrettily());

    JsonObject event = published.get(15, TimeUnit.SECONDS);
    assertEquals(2, event.getInteger("catalogVersion"));
    assertEquals(new JsonArray().add("dorohedoro"), event.getJsonArray("titleIds"));

    try (ChatClient client = harness.connect("catalog-reader")) {
      client.awaitType("ready");
      client.query("p1", ChatHarness.fresh("How much is Dorohedoro volume 2?"));
      List<JsonObject> answer = client.awaitAnswer("p1");
      JsonObject card = answer.stream().filter(f -> "cards".equals(f.getString("type"))).findFirst().orElseThrow()
          .getJsonArray("items").getJsonObject(0);
      assertEquals("dorohedoro", card.getString("titleId"));
      assertEquals(999, card.getInteger("priceJpy"), "the new price, live");
      assertEquals(2, answer.get(answer.size() - 1).getJsonObject("metadata").getInteger("catalog_version"));
    }
  }

  @Test
  void aRoutingRollbackTakesEffectOnTheNextQuestion() throws Exception {
    try (ChatClient client = harness.connect("rollback-watcher")) {
      client.awaitType("ready");
      client.query("a", ChatHarness.fresh("Recommend manga like Monster"));
      JsonObject before = ChatClient.last(client.awaitAnswer("a")).getJsonObject("metadata");
      assertEquals(2, before.getInteger("routing_version"));
      assertEquals("haiku", before.getString("model"));

      harness.vertx.eventBus().publish(Addresses.OPS_ROLLBACK,
          new JsonObject().put("target", "routing").put("toVersion", 1).put("reason", "test"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      JsonObject after;
      int attempt = 0;
      do {
        String id = "b" + attempt++;
        client.query(id, ChatHarness.fresh("Recommend manga like Monster"));
        after = ChatClient.last(client.awaitAnswer(id)).getJsonObject("metadata");
      } while (after.getInteger("routing_version") != 1 && System.nanoTime() < deadline);
      assertEquals(1, after.getInteger("routing_version"));
      assertEquals("sonnet", after.getString("model"), "version 1 sends recommendations to Sonnet");
    }
  }

}
