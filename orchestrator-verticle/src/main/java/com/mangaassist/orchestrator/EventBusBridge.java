package com.mangaassist.orchestrator;

import com.mangaassist.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /eventbus/*}: the SockJS event-bus bridge for internal tools (DESIGN.md §4). A tool may register for
 * {@link Addresses#BENCH_RESULT} and {@link Addresses#ALERTS} and receives what is published there; nothing else.
 * Registration to any other address (such as {@code mangaassist.turn.completed}, which carries shoppers' text) is
 * refused with {@code access_denied}, and so is every {@code send} and {@code publish}: no inbound address is permitted,
 * so a tool can neither forge an alert nor ask for a rollback.
 *
 * <p>Who may connect: the same {@link OriginPolicy} as the chat sockets (a page of another site cannot open it in a
 * shopper's browser), at most {@code maxSockets} bridge sockets per orchestrator instance, each with at most
 * {@code maxHandlersPerSocket} registrations (each one is a consumer on the clustered event bus). What it carries is
 * operational (alerts, run summaries), never shoppers' data; a node whose port faces the internet should still turn it
 * off ({@code EVENTBUS_BRIDGE_ENABLED=false}) or have the load balancer keep {@code /eventbus/} to internal networks.
 *
 * <p>The bridge writes to its sockets without looking at their write queues; here a socket whose queue is full when a
 * message is due is closed instead of growing without bound (a tool reconnects and registers again).
 */
final class EventBusBridge {

  static final String PATH = "/eventbus/*";
  /** The only addresses a tool may listen to; nothing may be sent in. */
  static final List<String> OUTBOUND = List.of(Addresses.BENCH_RESULT, Addresses.ALERTS);

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);
  /** Reply addresses of the event bus: replies would pass the bridge's inbound check, so they are refused here. */
  private static final String REPLY_PREFIX = "__vertx.";
  /** SockJS's HTTP fallbacks post frames; a tool only registers and pings, so a small limit is plenty. */
  private static final long MAX_POST_BYTES = 16 * 1024L;
  private static final long HEARTBEAT_MS = 25_000L;

  private final Vertx vertx;
  private final Settings settings;
  private final Set<SockJSSocket> open = new HashSet<>();

  /** {@code orchestrator.eventBusBridge} in conf/orchestrator.json. */
  record Settings(boolean enabled, int maxSockets, int maxHandlersPerSocket, long pingTimeoutMs) {

    static Settings from(JsonObject orchestrator) {
      JsonObject bridge = orchestrator.getJsonObject("eventBusBridge", new JsonObject());
      return new Settings(
          bridge.getBoolean("enabled", true),
          bridge.getInteger("maxSockets", 64),
          // one per permitted address: the bridge refuses a second registration of the same address
          bridge.getInteger("maxHandlersPerSocket", OUTBOUND.size()),
          bridge.getLong("pingTimeoutMs", 30_000L));
    }
  }

  EventBusBridge(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** Mounts the bridge on {@code router} behind {@code origins}; nothing when it is disabled. */
  void mount(Router router, OriginPolicy origins) {
    if (!settings.enabled()) {
      return;
    }
    router.route(PATH).handler(origins::check);
    router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(MAX_POST_BYTES));
    SockJSHandler sockJs = SockJSHandler.create(vertx, new SockJSHandlerOptions()
        .setHeartbeatInterval(HEARTBEAT_MS)
        .setRegisterWriteHandler(false));
    router.route(PATH).subRouter(sockJs.bridge(options(), this::onEvent));
  }

  /** Deny-all by default (no inbound permitted); outbound exactly the two addresses. */
  private SockJSBridgeOptions options() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .setMaxHandlersPerSocket(settings.maxHandlersPerSocket())
        .setPingTimeout(settings.pingTimeoutMs());
    OUTBOUND.forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    return options;
  }

  /** Every bridge event must be completed: {@code true} lets the bridge go on, {@code false} refuses. */
  private void onEvent(BridgeEvent event) {
    switch (event.type()) {
      case SOCKET_CREATED -> event.complete(admit(event.socket()));
      case SOCKET_CLOSED, SOCKET_ERROR -> {
        open.remove(event.socket());
        event.complete(true);
      }
      // the bridge itself answers access_denied (nothing is permitted inbound), except to a reply address
      case SEND, PUBLISH -> event.complete(!isReply(event.getRawMessage()));
      case RECEIVE -> event.complete(deliverable(event));
      default -> event.complete(true);
    }
  }

  private boolean admit(SockJSSocket socket) {
    if (open.size() >= settings.maxSockets()) {
      LOG.warn("event-bus bridge: refusing a socket from {}: {} open already", socket.remoteAddress(), open.size());
      return false;
    }
    open.add(socket);
    return true;
  }

  private static boolean isReply(JsonObject frame) {
    String address = frame == null ? null : frame.getString("address");
    return address != null && address.startsWith(REPLY_PREFIX);
  }

  /**
   * Back-pressure the bridge lacks: a socket that has not taken what it was sent is closed rather than queued to. A
   * message that expects a reply is not delivered (both addresses are publish-only, and no reply could come back).
   */
  private static boolean deliverable(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    if (socket.writeQueueFull()) {
      LOG.warn("event-bus bridge: closing slow socket from {}", socket.remoteAddress());
      socket.close();
      return false;
    }
    return event.getRawMessage() == null || event.getRawMessage().getString("replyAddress") == null;
  }
}
