package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis is shared state, not the only copy of anything: with the test's own redis-server killed, questions are
 * still answered (without cache, history or profile), {@code /ready} reports the degradation, and everything
 * recovers by itself when Redis returns on the same port.
 */
class RedisOutageTest {

  private static int redisPort;
  private static Process redis;
  private static ChatHarness harness;

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      redisPort = socket.getLocalPort();
    }
    redis = startRedis();
    harness = ChatHarness.start(new JsonObject().put("redis", new JsonObject().put("url", "redis://127.0.0.1:" + redisPort)));
  }

  @AfterAll
  static void stop() throws Exception {
    harness.close();
    redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void chatKeepsAnsweringWithoutRedisAndRecoversWhenItReturns() throws Exception {
    try (ChatClient client = harness.connect("outage-user")) {
      client.awaitType("ready");
      client.query("before", ChatHarness.fresh("Tell me about Slam Dunk"));
      assertEquals("done", ChatClient.last(client.awaitAnswer("before")).getString("type"));
      assertEquals("UP", ready().getString("redis"));

      redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      client.query("during", ChatHarness.fresh("Recommend manga like Slam Dunk"));
      List<JsonObject> answer = client.awaitAnswer("during");
      JsonObject done = ChatClient.last(answer);
      assertEquals("done", done.getString("type"), "answered without Redis: " + done);
      assertFalse(ChatClient.text(answer).isBlank());
      JsonObject timings = done.getJsonObject("metadata").getJsonObject("timings");
      assertTrue(timings.containsKey("history_branch"), "the history branch was dropped or failed: " + timings);
      JsonObject degraded = ready();
      assertEquals("DOWN", degraded.getString("redis"));
      assertEquals(true, degraded.getBoolean("degraded"));

      redis = startRedis();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!"UP".equals(ready().getString("redis")) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertEquals("UP", ready().getString("redis"), "reconnected by itself");
      client.query("after", ChatHarness.fresh("Tell me about Slam Dunk"));
      JsonObject after = ChatClient.last(client.awaitAnswer("after"));
      assertEquals("done", after.getString("type"));
      assertFalse(after.getJsonObject("metadata").getJsonObject("timings").containsKey("history_branch"),
          "history is back: " + after.getJsonObject("metadata").getJsonObject("timings"));
    }
  }

  private static JsonObject ready() {
    return new JsonObject(harness.get(harness.port, "/ready"));
  }

  private static Process startRedis() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", redisPort)) {
        return process;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + redisPort);
  }

}
