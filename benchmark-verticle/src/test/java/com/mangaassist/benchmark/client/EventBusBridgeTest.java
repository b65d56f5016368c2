package com.mangaassist.benchmark.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.RunningSystem;
import com.mangaassist.benchmark.client.EventBusBridgeClient.Transport;
import com.mangaassist.bus.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The orchestrator's {@code /eventbus} bridge (DESIGN.md §4) seen by a tool, over real sockets: the real orchestrator
 * and emulator of {@link RunningSystem}, {@link EventBusBridgeClient} over both transports, and a shopper on the chat
 * WebSocket beside it. Outbound {@code mangaassist.alerts} and {@code mangaassist.bench.result} only; nothing inbound.
 *
 * <p>"Nothing arrived" is asserted after a sentinel that went the same way later and did arrive: frames of one socket
 * and messages of consumers on one event loop keep their order.
 */
class EventBusBridgeTest {

  private static final int WAIT_SECONDS = 30;
  /** orchestrator.eventBusBridge.maxSockets of the system under test: small, so the cap can be reached. */
  private static final int MAX_SOCKETS = 4;

  static RunningSystem system;
  /** Bus consumers of the test, all on one event loop, keyed by address. */
  static final Map<String, List<JsonObject>> onTheBus = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    system = RunningSystem.start(new JsonObject().put("orchestrator", new JsonObject()
        .put("eventBusBridge", new JsonObject().put("maxSockets", MAX_SOCKETS))));
    Context context = system.vertx.getOrCreateContext();
    List<String> watched = List.of(Addresses.ALERTS, Addresses.BENCH_RESULT, Addresses.OPS_ROLLBACK,
        Addresses.TURN_COMPLETED, Addresses.BENCH_RUN);
    Future<Void> registered = Future.future(promise -> context.runOnContext(v -> Future.all(watched.stream()
        .map(address -> {
          List<JsonObject> seen = new CopyOnWriteArrayList<>();
          onTheBus.put(address, seen);
          return system.vertx.eventBus().<Object>consumer(address, m -> {
            if (m.body() instanceof JsonObject body) {
              seen.add(body);
            }
          }).completion();
        }).toList()).<Void>mapEmpty().onComplete(promise)));
    registered.await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aToolReceivesAlertsAndBenchResults(Transport transport) throws Exception {
    Tool tool = Tool.listening(transport, Addresses.ALERTS, Addresses.BENCH_RESULT);

    JsonObject alert = new JsonObject().put("severity", "SEV-2").put("intent", "faq").put("metric", "ttft_p95")
        .put("marker", "alert-" + transport);
    JsonObject result = new JsonObject().put("runId", "run-" + transport).put("verdicts", new JsonObject());
    system.vertx.eventBus().publish(Addresses.ALERTS, alert);
    system.vertx.eventBus().publish(Addresses.BENCH_RESULT, result);

    JsonObject receivedAlert = tool.await(f -> "rec".equals(f.getString("type")) && alert.equals(f.getValue("body")));
    assertEquals(Addresses.ALERTS, receivedAlert.getString("address"));
    JsonObject receivedResult = tool.await(f -> "rec".equals(f.getString("type")) && result.equals(f.getValue("body")));
    assertEquals(Addresses.BENCH_RESULT, receivedResult.getString("address"));
    tool.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void shoppersTurnsAreNotBridgedWhileTheChatGoesOn(Transport transport) throws Exception {
    Tool tool = Tool.connect(transport);
    for (String address : List.of(Addresses.TURN_COMPLETED, Addresses.PRECOMPUTE_READY, Addresses.CATALOG_UPDATED,
        Addresses.OPS_ROLLBACK, Addresses.BENCH_RUN, "mangaassist.anything.else")) {
      assertEquals("access_denied", refusal(tool.bridge.register(address)), address);
    }
    tool.await(f -> "err".equals(f.getString("type")) && "access_denied".equals(f.getString("body")));
    tool.bridge.register(Addresses.ALERTS).await(WAIT_SECONDS, TimeUnit.SECONDS);

    // a shopper asks on the chat WebSocket beside the bridge: the turn is published on mangaassist.turn.completed
    ChatEndpoint chat = ChatEndpoint.of(system.vertx, system.wsUrl(), 1);
    ChatSocket shopper = chat.connect("bridge-shopper-" + transport).await(WAIT_SECONDS, TimeUnit.SECONDS);
    String queryId = "bridge-" + transport;
    QueryOutcome answer = shopper.ask(queryId, "Is volume 108 of One Piece in stock?", System.nanoTime(), 60_000)
        .await(90, TimeUnit.SECONDS);
    assertTrue(answer.succeeded(), "the chat answers beside the bridge: " + answer);
    awaitOnTheBus(Addresses.TURN_COMPLETED, body -> queryId.equals(body.getString("queryId")));
    // and one published straight on the bus, as another node would
    system.vertx.eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject().put("queryId", "direct")
        .put("text", "my address is 1-2-3 Shibuya"));

    JsonObject sentinel = new JsonObject().put("marker", "after-turn-" + transport);
    system.vertx.eventBus().publish(Addresses.ALERTS, sentinel);
    tool.await(f -> sentinel.equals(f.getValue("body")));
    assertTrue(tool.frames.stream().noneMatch(f -> Addresses.TURN_COMPLETED.equals(f.getString("address"))),
        "no turn reached the tool: " + tool.frames);
    assertFalse(tool.frames.toString().contains("One Piece"), "no shopper text reached the tool: " + tool.frames);
    shopper.close();
    chat.close();
    tool.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aToolCanSendOrPublishNothing(Transport transport) throws Exception {
    Tool tool = Tool.listening(transport, Addresses.ALERTS);
    String forged = "forged-" + transport;
    assertEquals("access_denied", refusal(tool.bridge.publish(Addresses.ALERTS,
        new JsonObject().put("severity", "SEV-1").put("marker", forged))));
    assertEquals("access_denied", refusal(tool.bridge.send(Addresses.ALERTS, new JsonObject().put("marker", forged))));
    assertEquals("access_denied", refusal(tool.bridge.send(Addresses.OPS_ROLLBACK,
        new JsonObject().put("target", "routing").put("toVersion", 2).put("reason", forged))));
    assertEquals("access_denied", refusal(tool.bridge.publish(Addresses.OPS_ROLLBACK,
        new JsonObject().put("target", "prompt").put("toVersion", "v0").put("reason", forged))));
    assertEquals("access_denied", refusal(tool.bridge.publish(Addresses.BENCH_RESULT,
        new JsonObject().put("marker", forged))));
    assertEquals("access_denied", refusal(tool.bridge.send(Addresses.BENCH_RUN, new JsonObject().put("marker", forged))));
    assertEquals("access_denied", refusal(tool.bridge.publish(Addresses.TURN_COMPLETED,
        new JsonObject().put("queryId", forged).put("sessionId", forged).put("intent", "faq"))));
    // replies pass the bridge's own inbound check: the orchestrator refuses them before it
    assertEquals("rejected", refusal(tool.bridge.send("__vertx.reply.1", new JsonObject().put("marker", forged))));

    JsonObject sentinel = new JsonObject().put("marker", "genuine-" + transport);
    system.vertx.eventBus().publish(Addresses.ALERTS, sentinel);
    awaitOnTheBus(Addresses.ALERTS, sentinel::equals);
    tool.await(f -> sentinel.equals(f.getValue("body")));
    onTheBus.forEach((address, bodies) -> assertFalse(bodies.toString().contains(forged),
        "a forged message reached " + address + ": " + bodies));
    assertFalse(tool.frames.toString().contains(forged), "nothing forged came back to the tool either");
    tool.close();
  }

  @Test
  void handlersPerSocketAreCapped() throws Exception {
    Tool tool = Tool.listening(Transport.WEBSOCKET, Addresses.ALERTS, Addresses.BENCH_RESULT);
    assertEquals("max_handlers_reached", refusal(tool.bridge.register(Addresses.ALERTS)));
    tool.bridge.unregister(Addresses.BENCH_RESULT).await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals("address_already_registered", refusal(tool.bridge.register(Addresses.ALERTS)),
        "one consumer per address and socket");
    tool.close();
  }

  @Test
  void socketsPerNodeAreCapped() throws Exception {
    List<Tool> tools = new ArrayList<>();
    int admitted = 0;
    for (int i = 0; i <= MAX_SOCKETS; i++) {
      Tool tool = Tool.connect(Transport.WEBSOCKET);
      tools.add(tool);
      // a socket over the cap is closed as it opens: nothing it sends is answered
      admitted += tool.admitted() ? 1 : 0;
    }
    assertTrue(admitted >= 1 && admitted <= MAX_SOCKETS, admitted + " of " + tools.size() + " admitted");
    for (Tool tool : tools) {
      tool.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    boolean freed = false;
    while (!freed && System.nanoTime() < deadline) {
      Tool again = Tool.connect(Transport.WEBSOCKET);
      freed = again.admitted();
      again.close();
    }
    assertTrue(freed, "closed sockets give their places back");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPageOfAnotherSiteCannotOpenIt(Transport transport) throws Exception {
    Future<EventBusBridgeClient> foreign = EventBusBridgeClient.connect(system.vertx, bridgeUrl(), transport,
        Map.of("Origin", "https://evil.example"), EventBusBridgeClient.DEFAULT_PING_INTERVAL_MS);
    UpgradeRejectedException refused = assertThrows(UpgradeRejectedException.class,
        () -> foreign.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(403, refused.getStatus());
    // the page this host serves may
    EventBusBridgeClient own = EventBusBridgeClient.connect(system.vertx, bridgeUrl(), transport,
        Map.of("Origin", "http://127.0.0.1:" + system.port), EventBusBridgeClient.DEFAULT_PING_INTERVAL_MS)
        .await(WAIT_SECONDS, TimeUnit.SECONDS);
    own.register(Addresses.ALERTS).await(WAIT_SECONDS, TimeUnit.SECONDS);
    own.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** The bridge's error for a refused frame; fails the test if the bridge accepted it. */
  private static String refusal(Future<Void> acknowledged) throws Exception {
    try {
      acknowledged.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the bridge did not answer", e);
    } catch (RuntimeException e) {
      return e.getMessage();
    }
    throw new AssertionError("the bridge accepted what it should have refused");
  }

  private static void awaitOnTheBus(String address, Predicate<JsonObject> condition) throws InterruptedException {
    awaitIn(onTheBus.get(address), condition, "on " + address);
  }

  private static JsonObject awaitIn(List<JsonObject> seen, Predicate<JsonObject> condition, String where)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() < deadline) {
      for (JsonObject item : seen) {
        if (condition.test(item)) {
          return item;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("nothing matching " + where + ": " + seen);
  }

  private static String bridgeUrl() {
    return "ws://127.0.0.1:" + system.port + "/eventbus";
  }

  /** A connected bridge client and every frame it was handed, in arrival order. */
  private record Tool(EventBusBridgeClient bridge, List<JsonObject> frames) {

    /** Connected and registered (accepted) for {@code addresses}. */
    static Tool listening(Transport transport, String... addresses) throws TimeoutException {
      Tool tool = connect(transport);
      for (String address : addresses) {
        tool.bridge.register(address).await(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      return tool;
    }

    static Tool connect(Transport transport) throws TimeoutException {
      List<JsonObject> frames = new CopyOnWriteArrayList<>();
      EventBusBridgeClient bridge = EventBusBridgeClient.connect(system.vertx, bridgeUrl(), transport, Map.of(),
          EventBusBridgeClient.DEFAULT_PING_INTERVAL_MS).await(WAIT_SECONDS, TimeUnit.SECONDS);
      bridge.handler(frames::add);
      return new Tool(bridge, frames);
    }

    JsonObject await(Predicate<JsonObject> condition) throws InterruptedException {
      return awaitIn(frames, condition, "from the bridge");
    }

    /** Whether the bridge kept this socket: it answers a registration only on a socket it admitted. */
    boolean admitted() {
      try {
        bridge.register(Addresses.ALERTS).await(WAIT_SECONDS, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    void close() throws TimeoutException {
      bridge.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
