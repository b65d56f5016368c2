package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code idleTimeoutSeconds} (600 in production, 1 here): a socket nothing is heard from is closed with a close frame
 * (1000, "idle timeout"); {@code ping} frames keep a socket open past it, and so does an answer being read.
 */
class IdleTimeoutTest {

  private static final long IDLE_MS = 1_000;
  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    // answers of a few seconds, so one can outlast the idle timeout
    harness = ChatHarness.start(ChatHarness.modelSpeed(40)
        .put("orchestrator", new JsonObject().put("idleTimeoutSeconds", IDLE_MS / 1_000)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aSilentSocketIsClosedWithACloseFrame() throws Exception {
    ChatClient client = harness.connect("silent");
    client.awaitType("ready");
    long readyAt = System.nanoTime();
    assertTrue(client.awaitClosed(), "closed after " + IDLE_MS + " ms of silence");
    long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt);
    assertEquals((short) 1000, client.closeStatus());
    assertEquals("idle timeout", client.closeReason());
    assertTrue(closedAfterMs >= IDLE_MS - 100, "not before the timeout: " + closedAfterMs + " ms");
    client.close();
  }

  @Test
  void pingsKeepASocketOpenPastTheTimeoutAndItClosesOnceThePingsStop() throws Exception {
    ChatClient client = harness.connect("pinger");
    client.awaitType("ready");
    long pingUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MS * 3);
    int pings = 0;
    long lastPingAt = 0;
    while (System.nanoTime() < pingUntil) {
      client.send(new JsonObject().put("action", "ping"));
      lastPingAt = System.nanoTime();
      pings++;
      Thread.sleep(IDLE_MS / 4);
      assertFalse(client.isClosed(), "open after " + pings + " pings");
    }
    long answerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pongs(client) < pings && System.nanoTime() < answerDeadline) {
      Thread.sleep(10);
    }
    assertEquals(pings, pongs(client), "every ping answered");

    assertTrue(client.awaitClosed(), "closed once nothing more is heard");
    long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPingAt);
    assertTrue(closedAfterMs >= IDLE_MS - 100, "counted from the last ping: " + closedAfterMs + " ms");
    assertEquals((short) 1000, client.closeStatus());
    client.close();
  }

  @Test
  void aShopperReadingALongAnswerIsNotIdle() throws Exception {
    ChatClient client = harness.connect("reader");
    client.awaitType("ready");
    client.query("long", ChatHarness.fresh("Recommend manga like Vinland Saga"));
    List<JsonObject> answer = client.awaitAnswer("long");
    JsonObject done = ChatClient.last(answer);
    assertEquals("done", done.getString("type"), "the answer ends normally: " + done);
    assertTrue(done.getJsonObject("metadata").getDouble("total_ms") > IDLE_MS * 1.5,
        "precondition: the answer outlasted the idle timeout: " + done.getJsonObject("metadata").getDouble("total_ms"));
    assertTrue(client.awaitClosed(), "idle again once the answer is over");
    assertEquals((short) 1000, client.closeStatus());
    client.close();
  }

  private static long pongs(ChatClient client) {
    return client.frames().stream().filter(f -> "pong".equals(f.getString("type"))).count();
  }
}
