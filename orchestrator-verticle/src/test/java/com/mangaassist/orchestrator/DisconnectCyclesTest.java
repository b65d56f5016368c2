package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of shoppers who connect, ask, and leave as soon as the first chunk of their answer arrives (a clean close
 * frame, mid-stream), while during the first thousand another shopper stays and reads whole answers. After every
 * thousand: the emulator has no stream open, the orchestrator holds no socket, session, user or answer (its gauges
 * on {@code /metrics}), and the heap after a full GC is measured. The heap may not grow by more than
 * {@link #HEAP_GROWTH_BOUND_BYTES} from the first thousand to the last (2,000 cycles: about 2 KiB a cycle, less than
 * one leaked connection's object graph). The whole JVM is measured: the orchestrator, the emulator and the clients.
 *
 * <p>3,000 cycles in the suite (about 20 s here); {@code -Dmangaassist.disconnectCycles=20000} for a longer run.
 */
class DisconnectCyclesTest {

  private static final int CYCLES = Integer.getInteger("mangaassist.disconnectCycles", 3_000);
  private static final int PER_MEASUREMENT = 1_000;
  private static final int SHOPPERS_AT_ONCE = 16;
  private static final long HEAP_GROWTH_BOUND_BYTES = 4L * 1024 * 1024;
  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    // 50 tokens a second: every answer is still streaming when its shopper leaves, so none completes (or is cached);
    // the thousands of session keys expire from the shared Redis two minutes later. The semantic cache is off: an
    // answer to a question like this one, cached in the shared Redis by anything else (a load run, another test),
    // would answer the cycles without a model stream to cancel
    harness = ChatHarness.start(ChatHarness.modelSpeed(50)
        .put("redis", new JsonObject().put("sessionTtlSeconds", 120))
        .put("cache", new JsonObject().put("enabled", false)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void thousandsOfDisconnectsMidStreamLeaveNoOpenStreamNoSessionAndNoGrowingHeap() throws Exception {
    // one question for every cycle: its embedding is remembered after the first, and an answer never completed is
    // never cached, so each cycle is a model stream cut short
    String question = ChatHarness.fresh("Tell me about Berserk");
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < SHOPPERS_AT_ONCE; i++) {
      tokens.add(harness.token("leaver-" + i));
    }
    JsonObject before = harness.emulator.stats();
    LeavingShoppers shoppers = new LeavingShoppers(harness.vertx, harness.port, question);
    List<Long> heap = new ArrayList<>();
    long started = System.nanoTime();
    long cpuAtStart = processCpuNanos();
    StayingShopper stayer = new StayingShopper(harness.connect("stayer"));
    int answersRead = 0;
    for (int done = 0; done < CYCLES; done += PER_MEASUREMENT) {
      ChatHarness.await(shoppers.run(Math.min(PER_MEASUREMENT, CYCLES - done), tokens));
      if (done == 0) {
        List<JsonObject> endings = stayer.stop();
        answersRead = endings.size();
        assertTrue(endings.size() >= 2, "the staying shopper read answers meanwhile: " + endings);
        for (JsonObject ending : endings) {
          assertEquals("done", ending.getString("type"), "others leaving never breaks an answer: " + ending);
        }
      }
      assertNothingHeld();
      heap.add(heapAfterGc());
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    long cpuSeconds = TimeUnit.NANOSECONDS.toSeconds(processCpuNanos() - cpuAtStart);

    long growth = heap.get(heap.size() - 1) - heap.get(0);
    System.out.printf("DisconnectCyclesTest: %d cycles in %d s (%d s of CPU), %d at once; heap after GC after each %d:"
        + " %s MiB; growth from the first to the last %.2f MiB (bound %.1f)%n", CYCLES, seconds, cpuSeconds,
        SHOPPERS_AT_ONCE, PER_MEASUREMENT, heap.stream().map(b -> String.format("%.1f", b / 1048576.0)).toList(),
        growth / 1048576.0, HEAP_GROWTH_BOUND_BYTES / 1048576.0);
    JsonObject after = harness.emulator.awaitStats(s -> s.getInteger("open") == 0);
    assertEquals(before.getInteger("cancelled") + CYCLES, after.getInteger("cancelled"),
        "every cycle cancelled its model stream, once: " + after.encode());
    assertEquals(before.getInteger("completed") + answersRead, after.getInteger("completed"),
        "only the staying shopper's answers completed: " + after.encode());
    assertEquals(before.getInteger("failed"), after.getInteger("failed"));
    assertTrue(growth <= HEAP_GROWTH_BOUND_BYTES, "heap after GC grew by " + growth + " bytes: " + heap);
  }

  /** What the orchestrator holds once every shopper has left: nothing (closes are processed asynchronously). */
  private static void assertNothingHeld() throws InterruptedException {
    Map<String, Double> held = held();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (held.values().stream().anyMatch(v -> v != 0) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      held = held();
    }
    for (Map.Entry<String, Double> gauge : held.entrySet()) {
      assertEquals(0.0, gauge.getValue(), gauge.getKey() + " after every shopper left: " + held);
    }
    assertEquals(0, harness.emulator.awaitStats(s -> s.getInteger("open") == 0).getInteger("open"));
  }

  private static Map<String, Double> held() {
    return Map.of(
        "chat_connections_open", harness.gauge("chat_connections_open"),
        "chat_sessions_registered", harness.gauge("chat_sessions_registered"),
        "chat_users_connected", harness.gauge("chat_users_connected"),
        "chat_answers_in_flight", harness.gauge("chat_answers_in_flight"));
  }

  /** CPU time of this JVM, every thread: unlike wall time, it does not depend on what else the machine is running. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Live heap: the sum over heap pools of what the last collection left, after a few full collections. */
  private static long heapAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      long live = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        MemoryUsage afterCollection = pool.getCollectionUsage();
        if (pool.getType() == MemoryType.HEAP && afterCollection != null) {
          live += afterCollection.getUsed();
        }
      }
      least = Math.min(least, live);
    }
    return least;
  }

  /** A shopper who stays on one socket and asks one question after another, on a thread of its own, until stopped. */
  private static final class StayingShopper {

    private final ChatClient client;
    private final List<JsonObject> endings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread thread;

    StayingShopper(ChatClient client) throws InterruptedException {
      this.client = client;
      client.awaitType("ready");
      thread = new Thread(this::ask, "staying-shopper");
      thread.start();
    }

    private void ask() {
      for (int i = 0; !stopping.get(); i++) {
        String id = "s" + i;
        client.query(id, ChatHarness.fresh("Tell me about Vagabond"));
        try {
          endings.add(client.await(f -> id.equals(f.getString("id")) && ChatClient.isTerminal(f), 120));
        } catch (InterruptedException | AssertionError e) {
          endings.add(new JsonObject().put("type", "no answer").put("cause", e.toString()));
          return;
        }
      }
    }

    /** Lets the answer under way end, closes the socket, and returns how each answer ended. */
    List<JsonObject> stop() throws InterruptedException {
      stopping.set(true);
      thread.join(TimeUnit.SECONDS.toMillis(150));
      client.close();
      return List.copyOf(endings);
    }
  }

  /**
   * Shoppers on the event loop, {@code tokens.size()} at a time, one after another in each lane: connect,
   * authenticate, ask, and close the socket when the first chunk arrives.
   */
  private static final class LeavingShoppers {

    private final WebSocketClient client;
    private final int port;
    private final String query;

    LeavingShoppers(Vertx vertx, int port, String question) {
      this.client = vertx.createWebSocketClient();
      this.port = port;
      this.query = new JsonObject().put("action", "query").put("id", "q").put("text", question).encode();
    }

    Future<Void> run(int cycles, List<String> tokens) {
      AtomicInteger started = new AtomicInteger();
      return Future.all(tokens.stream().map(token -> lane(cycles, started, token)).toList()).mapEmpty();
    }

    private Future<Void> lane(int cycles, AtomicInteger started, String token) {
      if (started.getAndIncrement() >= cycles) {
        return Future.succeededFuture();
      }
      return cycle(token).compose(v -> lane(cycles, started, token));
    }

    private Future<Void> cycle(String token) {
      return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
          .compose(ws -> {
            Promise<Void> firstChunk = Promise.promise();
            ws.textMessageHandler(text -> {
              JsonObject frame = new JsonObject(text);
              switch (frame.getString("type")) {
                case "ready" -> ws.writeTextMessage(query);
                case "chunk" -> firstChunk.tryComplete();
                case "done", "error" -> firstChunk.tryFail("the answer ended before the shopper left: " + text);
                default -> { }
              }
            });
            ws.closeHandler(v -> firstChunk.tryFail("closed by the server: " + ws.closeStatusCode()));
            ws.writeTextMessage(new JsonObject().put("action", "auth").put("token", token).encode());
            return firstChunk.future()
                .timeout(15, TimeUnit.SECONDS)
                .transform(result -> ws.close().transform(closed -> result.succeeded()
                    ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(result.cause())));
          });
    }
  }
}
