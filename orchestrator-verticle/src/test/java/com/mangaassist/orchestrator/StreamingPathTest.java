package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A shopper's question streams in from the emulator through the real SDK, over /ws and /sockjs. */
class StreamingPathTest {

  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void answerStreamsWithStatusFirstGapFreeChunksAndOneDone() throws Exception {
    try (ChatClient client = harness.connect("alice")) {
      JsonObject ready = client.awaitType("ready");
      assertNotNull(ready.getString("sessionId"));
      assertEquals(false, ready.getBoolean("resumed"));

      client.query("q1", ChatHarness.fresh("Recommend manga like One Piece"));
      List<JsonObject> answer = client.awaitAnswer("q1");

      assertEquals("status", answer.get(0).getString("type"), "the first frame of a query is a status");
      int firstChunk = indexOfType(answer, "chunk");
      assertTrue(firstChunk > 0, "at least one status before the first chunk: " + answer);
      List<JsonObject> chunks = answer.stream().filter(f -> f.getString("type").equals("chunk")).toList();
      assertTrue(chunks.size() >= 2, "the answer arrives in several chunks: " + chunks.size());
      for (int i = 0; i < chunks.size(); i++) {
        assertEquals(i, chunks.get(i).getInteger("seq"), "seq counts from 0 without gaps");
        assertFalse(chunks.get(i).getString("text").isEmpty());
      }
      assertEquals(1, answer.stream().filter(ChatClient::isTerminal).count(), "exactly one terminal frame");
      JsonObject done = answer.get(answer.size() - 1);
      assertEquals("done", done.getString("type"));

      JsonObject metadata = done.getJsonObject("metadata");
      assertEquals("model", metadata.getString("source"));
      assertEquals("recommendation", metadata.getString("intent"));
      assertEquals("sonnet", metadata.getString("model"), "recommendations route to Sonnet");
      assertNotNull(metadata.getJsonArray("entities"));
      double firstToken = metadata.getDouble("first_token_ms");
      double modelFirstToken = metadata.getDouble("model_first_token_ms");
      assertTrue(modelFirstToken > 0);
      assertTrue(firstToken >= modelFirstToken, "first_token_ms includes the model's own time to first token");
      assertTrue(metadata.getDouble("total_ms") >= firstToken);
      assertTrue(metadata.getInteger("tokens") > 0);
      assertEquals(false, metadata.getBoolean("cancelled"));
      JsonObject timings = metadata.getJsonObject("timings");
      for (String key : List.of("classify_ms", "fanout_ms", "prompt_ms")) {
        assertNotNull(timings.getDouble(key), key + " in " + timings);
      }
      assertFalse(ChatClient.text(answer).isBlank());
    }
  }

  @Test
  void simpleIntentsRouteToHaiku() throws Exception {
    try (ChatClient client = harness.connect("bob")) {
      client.awaitType("ready");
      client.query("q1", "Is Chainsaw Man volume 12 in stock?");
      JsonObject done = ChatClient.last(client.awaitAnswer("q1"));
      assertEquals("availability", done.getJsonObject("metadata").getString("intent"));
      assertEquals("haiku", done.getJsonObject("metadata").getString("model"));
    }
  }

  @Test
  void sockJsSpeaksTheSameProtocol() throws Exception {
    try (ChatClient client = ChatClient.connectSockJs(harness.vertx, harness.port, "")) {
      client.send(new JsonObject().put("action", "auth").put("token", harness.token("carol")));
      client.awaitType("ready");
      client.query("s1", ChatHarness.fresh("Tell me about Frieren"));
      List<JsonObject> answer = client.awaitAnswer("s1");
      assertEquals("status", answer.get(0).getString("type"));
      assertEquals("done", ChatClient.last(answer).getString("type"), answer::toString);
      assertFalse(ChatClient.text(answer).isBlank());
    }
  }

  @Test
  void severalQueriesOnOneSocketKeepTheirOwnSequences() throws Exception {
    try (ChatClient client = harness.connect("dave")) {
      client.awaitType("ready");
      client.query("a", ChatHarness.fresh("Recommend a horror manga"));
      client.query("b", "What is your return policy?");
      for (String id : List.of("a", "b")) {
        List<JsonObject> chunks = client.awaitAnswer(id).stream().filter(f -> f.getString("type").equals("chunk")).toList();
        for (int i = 0; i < chunks.size(); i++) {
          assertEquals(i, chunks.get(i).getInteger("seq"));
        }
        assertEquals("done", ChatClient.last(client.framesOf(id)).getString("type"));
      }
    }
  }

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    try (ChatClient client = harness.connect("erin")) {
      client.awaitType("ready");
      client.send(new JsonObject().put("action", "ping"));
      client.awaitType("pong");
    }
  }

  @Test
  void badFramesGetTypedErrorsAndTheConnectionStaysUsable() throws Exception {
    try (ChatClient client = harness.connect("frank")) {
      client.awaitType("ready");
      client.sendRaw("{not json");
      JsonObject malformed = client.await(f -> "error".equals(f.getString("type")) && !f.containsKey("id"));
      assertEquals("bad_request", malformed.getString("code"));

      client.send(new JsonObject().put("action", "query").put("id", "long").put("text", "x".repeat(4001)));
      JsonObject tooLong = client.await(f -> "long".equals(f.getString("id")));
      assertEquals("error", tooLong.getString("type"));
      assertEquals("too_large", tooLong.getString("code"));

      client.sendRaw("{\"action\":\"query\",\"id\":\"big\",\"text\":\"" + "y".repeat(140_000) + "\"}");
      JsonObject tooBig = client.await(f -> "too_large".equals(f.getString("code")) && !f.containsKey("id"));
      assertEquals("error", tooBig.getString("type"));

      client.send(new JsonObject().put("action", "fly").put("id", "x1"));
      assertEquals("bad_request", client.await(f -> "x1".equals(f.getString("id"))).getString("code"));

      client.query("ok", "Hello!");
      assertEquals("done", ChatClient.last(client.awaitAnswer("ok")).getString("type"), "still answering after bad input");
    }
  }

  @Test
  void aBadTokenIsRefusedWithUnauthorizedThenClosed() throws Exception {
    // the token in a first frame: a refused ?token= query closes the socket in the handshake's own packet, before a
    // test client can read the error
    ChatClient client = ChatClient.connectWebSocket(harness.vertx, harness.port, "/ws");
    client.send(new JsonObject().put("action", "auth").put("token", "forged.token.value"));
    JsonObject error = client.awaitType("error");
    assertEquals("unauthorized", error.getString("code"));
    assertNull(error.getString("id"));
    assertTrue(client.awaitClosed(), "the server closes after unauthorized");
  }

  @Test
  void aSixthConnectionOfOneUserIsRefusedAndAFreedSlotIsReusable() throws Exception {
    List<ChatClient> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        ChatClient client = harness.connect("many-tabs");
        client.awaitType("ready");
        open.add(client);
      }
      ChatClient sixth = harness.connect("many-tabs");
      assertEquals("rate_limited", sixth.awaitType("error").getString("code"));
      assertTrue(sixth.awaitClosed());
      open.remove(0).close();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      ChatClient again;
      do {
        again = harness.connect("many-tabs");
        JsonObject first = again.await(f -> "ready".equals(f.getString("type")) || "error".equals(f.getString("type")));
        if ("ready".equals(first.getString("type"))) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() < deadline);
      open.add(again);
      assertEquals("ready", again.frames().get(0).getString("type"), "a closed tab frees its slot");
    } finally {
      open.forEach(ChatClient::close);
    }
  }

  @Test
  void aForeignWebPageCannotOpenAChatSocket() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + harness.port + "/ws"))
            .header("Origin", "https://evil.example").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, response.statusCode(), "cross-site WebSocket hijacking is refused before any upgrade");
  }

  @Test
  void queriesBeforeAuthenticationAreRefused() throws Exception {
    ChatClient client = ChatClient.connectWebSocket(harness.vertx, harness.port, "/ws");
    client.query("q1", "Hello");
    assertEquals("unauthorized", client.awaitType("error").getString("code"));
    assertTrue(client.awaitClosed());
  }

  @Test
  void resumeContinuesTheSameUsersSessionButNeverAnotherUsers() throws Exception {
    String sessionId;
    try (ChatClient first = harness.connect("gina")) {
      sessionId = first.awaitType("ready").getString("sessionId");
      first.query("q1", "Tell me about Vagabond");
      first.awaitAnswer("q1");
    }
    try (ChatClient again = harness.connect("gina")) {
      String fresh = again.awaitType("ready").getString("sessionId");
      assertNotEquals(sessionId, fresh);
      again.send(new JsonObject().put("action", "resume").put("sessionId", sessionId));
      JsonObject resumed = again.await(f -> "ready".equals(f.getString("type")) && f.getBoolean("resumed"));
      assertEquals(sessionId, resumed.getString("sessionId"));
    }
    try (ChatClient intruder = harness.connect("mallory")) {
      intruder.awaitType("ready");
      intruder.send(new JsonObject().put("action", "resume").put("sessionId", sessionId));
      assertEquals("unauthorized", intruder.awaitType("error").getString("code"));
    }
  }

  @Test
  void healthReadyAndMetricsAreServed() throws Exception {
    try (ChatClient client = harness.connect("hank")) {
      client.awaitType("ready");
      client.query("q1", ChatHarness.fresh("Hello there"));
      client.awaitAnswer("q1");
    }
    assertEquals("UP", new JsonObject(harness.get(harness.port, "/health")).getString("status"));
    JsonObject ready = new JsonObject(harness.get(harness.port, "/ready"));
    assertEquals("UP", ready.getString("redis"));
    String metrics = harness.get(harness.port, "/metrics");
    for (String name : List.of("first_token_latency_ms_bucket", "streaming_total_ms_bucket", "streaming_tokens_total",
        "streaming_chunks_sent_total", "tokens_per_second")) {
      assertTrue(metrics.contains(name), name + " missing from /metrics");
    }
    assertTrue(metrics.contains("intent=\"greeting\""), "meters are tagged by intent");
  }

  private static int indexOfType(List<JsonObject> frames, String type) {
    for (int i = 0; i < frames.size(); i++) {
      if (type.equals(frames.get(i).getString("type"))) {
        return i;
      }
    }
    return -1;
  }

}
