package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.emulator.TestEmulator;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.store.RedisClients;
import com.mangaassist.store.SessionStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of one of two orchestrator nodes: two Vert.x instances ("nodes" A and B), one emulator in a third,
 * the shared Redis. A shopper talks to A; A is stopped as SIGTERM stops it (orchestrator undeployed, then its Vert.x
 * closed) while an answer streams; the answer finishes, the socket closes with 1001, a question asked meanwhile gets
 * a retryable {@code unavailable}. The shopper reconnects to B, {@code resume}s, asks that question again and "Is it
 * in stock?", which B resolves to the title discussed on A: one conversation, nothing lost.
 */
class RollingRestartTest {

  private static Vertx emulatorVertx;
  private static ChatHarness nodeA;
  private static ChatHarness nodeB;

  @BeforeAll
  static void start() throws Exception {
    JsonObject overrides = ChatHarness.modelSpeed(60);
    emulatorVertx = Vertx.vertx();
    EmulatorVerticle emulator = TestEmulator.deploy(emulatorVertx, ChatHarness.config(overrides).getJsonObject("emulator"));
    CompletableFuture<ChatHarness> a = CompletableFuture.supplyAsync(
        () -> ChatHarness.startNode(emulator.actualPort(), overrides));
    CompletableFuture<ChatHarness> b = CompletableFuture.supplyAsync(
        () -> ChatHarness.startNode(emulator.actualPort(), overrides));
    nodeA = a.get(3, TimeUnit.MINUTES);
    nodeB = b.get(3, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() {
    for (ChatHarness node : new ChatHarness[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    ChatHarness.await(emulatorVertx.close());
  }

  @Test
  void aShopperOnTheStoppedNodeContinuesTheConversationOnTheOther() throws Exception {
    String sessionId;
    String vinlandSaga;
    String firstQuestion = ChatHarness.fresh("Tell me about Vinland Saga");
    String secondQuestion = ChatHarness.fresh("Recommend manga like Vinland Saga");
    String lateQuestion = "Who is the author of Vinland Saga?";
    try (ChatClient onA = nodeA.connect("rolling-shopper")) {
      sessionId = onA.awaitType("ready").getString("sessionId");
      onA.query("a1", firstQuestion);
      JsonObject first = ChatClient.last(onA.awaitAnswer("a1"));
      assertEquals("done", first.getString("type"), first::encode);
      vinlandSaga = first.getJsonObject("metadata").getJsonArray("entities").getJsonObject(0).getString("titleId");

      onA.query("a2", secondQuestion);
      onA.await(f -> "a2".equals(f.getString("id")) && "chunk".equals(f.getString("type")));
      // what SIGTERM does in bin/mangaassist, from a thread of its own: the orchestrator undeployed (graceful), then
      // the node's Vert.x closed (closing Vert.x alone would close its sockets before undeploying anything)
      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
        ChatHarness.await(nodeA.stopOrchestrator());
        ChatHarness.await(nodeA.vertx.close());
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (nodeA.status("/ready") != 503 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      onA.query("a3", lateQuestion);
      JsonObject refused = onA.await(f -> "a3".equals(f.getString("id")));
      assertEquals("unavailable", refused.getString("code"), refused::encode);
      assertEquals(true, refused.getBoolean("retryable"));

      List<JsonObject> second = onA.awaitAnswer("a2");
      assertEquals("done", ChatClient.last(second).getString("type"), "the answer in flight finished on A");
      assertTrue(onA.awaitClosed());
      assertEquals((short) 1001, onA.closeStatus());
      stopping.get(30, TimeUnit.SECONDS);
    }

    try (ChatClient onB = nodeB.connect("rolling-shopper")) {
      onB.awaitType("ready");
      onB.send(new JsonObject().put("action", "resume").put("sessionId", sessionId));
      JsonObject resumed = onB.await(f -> "ready".equals(f.getString("type")) && f.getBoolean("resumed"));
      assertEquals(sessionId, resumed.getString("sessionId"), "B continues the session started on A");

      onB.query("b1", lateQuestion);
      assertEquals("done", ChatClient.last(onB.awaitAnswer("b1")).getString("type"), "the refused question, asked again");
      onB.query("b2", "Is it in stock?");
      JsonObject stock = ChatClient.last(onB.awaitAnswer("b2"));
      assertEquals("done", stock.getString("type"), stock::encode);
      JsonObject metadata = stock.getJsonObject("metadata");
      assertEquals("availability", metadata.getString("intent"));
      assertEquals(vinlandSaga, metadata.getJsonArray("entities").getJsonObject(0).getString("titleId"),
          "\"it\" is the title discussed on A: " + metadata.getJsonArray("entities"));
    }

    List<String> asked = questionsInHistory(sessionId, 4);
    assertEquals(List.of(firstQuestion, secondQuestion, lateQuestion, "Is it in stock?"), asked,
        "one conversation in Redis, across both nodes");
  }

  /** The session's history as stored in the shared Redis, once it holds {@code turns} turns (written after done). */
  private static List<String> questionsInHistory(String sessionId, int turns) throws InterruptedException {
    JsonObject redisConfig = ChatHarness.config(new JsonObject()).getJsonObject("redis");
    Redis redis = RedisClients.create(nodeB.vertx, redisConfig);
    try {
      SessionStore store = new SessionStore(redis, redisConfig);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      List<ChatMessage> history = ChatHarness.await(store.history(sessionId));
      while (history.size() < 2 * turns && System.nanoTime() < deadline) {
        Thread.sleep(50);
        history = ChatHarness.await(store.history(sessionId));
      }
      assertFalse(history.isEmpty(), "history of " + sessionId);
      return history.stream().filter(m -> "user".equals(m.role())).map(ChatMessage::text).toList();
    } finally {
      redis.close();
    }
  }
}
