package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.emulator.TestEmulator;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator verticle stops (undeploy: what {@code vertx.close()} and SIGTERM in {@code bin/mangaassist} do)
 * while three shoppers are connected: one idle, one reading a short answer, one reading a long one. From the first
 * moment the node is not ready and takes no new socket or question; the short answer finishes; the long one streams
 * on until {@code shutdownGraceMs}, then ends with a typed retryable {@code unavailable} error; every socket is closed
 * with a close frame (1001) and no model stream is left open.
 */
class GracefulShutdownTest {

  private static final long GRACE_MS = 3_000;
  private static final String SONNET = "anthropic.claude-3-sonnet-20240229-v1:0";
  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    // Haiku answers in about a second, Sonnet would take well over the grace period
    JsonObject profiles = new JsonObject()
        .put("default", new JsonObject().put("tokensPerSecond", 100))
        .put(TestEmulator.HAIKU, new JsonObject().put("tokensPerSecond", 100))
        .put(SONNET, new JsonObject().put("tokensPerSecond", 10));
    harness = ChatHarness.start(new JsonObject()
        .put("emulator", new JsonObject().put("profiles", profiles))
        .put("orchestrator", new JsonObject().put("shutdownGraceMs", GRACE_MS)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void inFlightAnswersFinishWithinTheGraceTheRestEndWithARetryableErrorAndEverySocketClosesWithGoingAway()
      throws Exception {
    JsonObject before = harness.emulator.stats();
    ChatClient idle = harness.connect("idle-shopper");
    idle.awaitType("ready");
    ChatClient quick = harness.connect("quick-shopper");
    quick.awaitType("ready");
    ChatClient slow = harness.connect("slow-shopper");
    slow.awaitType("ready");
    quick.query("short", "Is Chainsaw Man volume 12 in stock?");
    slow.query("long", ChatHarness.fresh("Recommend manga like One Piece"));
    quick.await(f -> "short".equals(f.getString("id")) && "chunk".equals(f.getString("type")));
    slow.await(f -> "long".equals(f.getString("id")) && "chunk".equals(f.getString("type")));

    long stopAt = System.nanoTime();
    Future<Void> stopping = harness.stopOrchestrator();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (harness.status("/ready") != 503 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(503, harness.status("/ready"), "a node shutting down is not ready");
    int chunksWhenDraining = chunks(slow.framesOf("long")).size();

    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> ChatClient.connectWebSocket(harness.vertx, harness.port, "/ws"));
    UpgradeRejectedException rejection = assertInstanceOf(UpgradeRejectedException.class, refused.getCause());
    assertEquals(503, rejection.getStatus(), "no new socket while shutting down");

    slow.query("late", "Is Berserk in stock?");
    JsonObject late = slow.await(f -> "late".equals(f.getString("id")));
    assertEquals("error", late.getString("type"), "no new question while shutting down: " + late);
    assertEquals("unavailable", late.getString("code"));
    assertEquals(true, late.getBoolean("retryable"));

    assertTrue(idle.awaitClosed(), "an idle socket is closed at once");
    assertEquals((short) 1001, idle.closeStatus());

    List<JsonObject> shortAnswer = quick.awaitAnswer("short");
    assertEquals("done", ChatClient.last(shortAnswer).getString("type"), "the short answer finished: " + shortAnswer);
    assertEquals(false, ChatClient.last(shortAnswer).getJsonObject("metadata").getBoolean("cancelled"));
    assertGapFreeWithOneTerminal(shortAnswer);
    assertTrue(quick.awaitClosed(), "closed once its answer is over");
    assertEquals((short) 1001, quick.closeStatus());
    assertEquals("server restarting", quick.closeReason());

    List<JsonObject> longAnswer = slow.awaitAnswer("long");
    long endedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
    JsonObject cut = ChatClient.last(longAnswer);
    assertEquals("error", cut.getString("type"), "the long answer was cut: " + cut);
    assertEquals("unavailable", cut.getString("code"));
    assertEquals(true, cut.getBoolean("retryable"));
    assertGapFreeWithOneTerminal(longAnswer);
    assertTrue(chunks(longAnswer).size() > chunksWhenDraining, "the long answer kept streaming during the grace period");
    assertTrue(endedAfterMs >= GRACE_MS - 200, "cut only once the grace period was over: " + endedAfterMs + " ms");
    assertTrue(slow.awaitClosed());
    assertEquals((short) 1001, slow.closeStatus());

    ChatHarness.await(stopping);
    JsonObject after = harness.emulator.awaitStats(s -> s.getInteger("open") == 0);
    assertEquals(before.getInteger("completed") + 1, after.getInteger("completed"), "the short answer completed");
    assertEquals(before.getInteger("cancelled") + 1, after.getInteger("cancelled"), "the long one was cancelled");
    List.of(idle, quick, slow).forEach(ChatClient::close);
  }

  private static List<JsonObject> chunks(List<JsonObject> frames) {
    return frames.stream().filter(f -> "chunk".equals(f.getString("type"))).toList();
  }

  private static void assertGapFreeWithOneTerminal(List<JsonObject> answer) {
    List<JsonObject> chunks = chunks(answer);
    assertFalse(chunks.isEmpty());
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).getInteger("seq"), "seq counts from 0 without gaps");
    }
    assertEquals(1, answer.stream().filter(ChatClient::isTerminal).count(), "exactly one terminal frame");
  }
}
