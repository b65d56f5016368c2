package com.mangaassist.orchestrator;

import com.mangaassist.protocol.ClientFrame;
import com.mangaassist.protocol.ErrorCode;
import com.mangaassist.protocol.ProtocolException;
import com.mangaassist.protocol.ServerFrames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol v1 on one client connection: authentication, session, frame validation and limits, the turns in flight,
 * idleness, and its part in a graceful shutdown. Lives on one event loop; every method runs there.
 */
final class ClientConnection implements AnswerSink {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
  private static final short NORMAL_CLOSURE = 1000;
  private static final short GOING_AWAY = 1001;
  private static final short POLICY_VIOLATION = 1008;
  private static final short TRY_AGAIN_LATER = 1013;
  private static final String RESTARTING = "The server is restarting: reconnect and ask again.";

  private enum State { AWAITING_AUTH, READY, CLOSED }

  private final ClientChannel channel;
  private final TurnServices services;
  private final Authenticator authenticator;
  private final ConnectionLimits limits;
  private final OpenConnections open;
  private final IdleTimeout idle;
  private final Map<String, Turn> turns = new LinkedHashMap<>();
  private final Set<AnswerWriter> waitingForDrain = new LinkedHashSet<>();

  private State state = State.AWAITING_AUTH;
  private String userId;
  private String sessionId;
  private String lastTitle;
  private long rateWindowStart;
  private int framesInWindow;
  private boolean rateErrorSent;
  private long authTimer = -1;
  private long slowClientTimer = -1;
  /** Set once the node begins to shut down; completes when this connection is closed. */
  private Promise<Void> shutdown;

  ClientConnection(ClientChannel channel, TurnServices services, Authenticator authenticator, ConnectionLimits limits,
      OpenConnections open) {
    this.channel = channel;
    this.services = services;
    this.authenticator = authenticator;
    this.limits = limits;
    this.open = open;
    this.idle = new IdleTimeout(services.vertx(), limits.idleTimeoutMs(), () -> !turns.isEmpty(), this::onIdle);
  }

  void start() {
    if (!open.accepting()) {
      // opened while the node was already shutting down (a SockJS session, an upgrade under way): turned away at once
      state = State.CLOSED;
      channel.close(GOING_AWAY, "server restarting");
      return;
    }
    open.add(this);
    idle.start();
    channel.textHandler(this::onFrame);
    channel.closeHandler(v -> onClientGone());
    channel.drainHandler(v -> onDrain());
    String token = tokenFromUri(channel.uri());
    if (token != null) {
      authenticate(token);
    } else {
      authTimer = services.vertx().setTimer(limits.authTimeoutMs(), id -> {
        if (state == State.AWAITING_AUTH) {
          refuse("no auth frame received in time");
        }
      });
    }
  }

  String sessionId() {
    return sessionId;
  }

  String userId() {
    return userId;
  }

  /** The title this conversation discussed last: what "it" and "that one" refer to. */
  String lastTitle() {
    return lastTitle;
  }

  void rememberTitle(String titleId) {
    lastTitle = titleId;
    services.sessions().rememberTitle(sessionId, titleId)
        .onFailure(e -> LOG.debug("last title not stored for session {}: {}", sessionId, e.getMessage()));
  }

  @Override
  public void write(String frame) {
    if (state != State.CLOSED) {
      channel.write(frame);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return channel.writeQueueFull();
  }

  @Override
  public void waitForDrain(AnswerWriter writer) {
    waitingForDrain.add(writer);
    if (slowClientTimer < 0) {
      slowClientTimer = services.vertx().setTimer(services.streaming().slowClientTimeoutMs(), id -> {
        slowClientTimer = -1;
        if (!waitingForDrain.isEmpty()) {
          closeSlowClient();
        }
      });
    }
  }

  @Override
  public void stopWaitingForDrain(AnswerWriter writer) {
    waitingForDrain.remove(writer);
  }

  @Override
  public void closeSlowClient() {
    LOG.info("closing slow client of session {}", sessionId);
    close(TRY_AGAIN_LATER, "client too slow");
  }

  /** Predicted follow-ups for a turn of this session, pushed as a {@code suggestions} frame. */
  void suggest(String queryId, io.vertx.core.json.JsonArray items) {
    write(ServerFrames.suggestions(queryId, items));
  }

  void turnEnded(Turn turn) {
    if (!turns.remove(turn.queryId(), turn)) {
      return;
    }
    open.answersEnded(1);
    idle.heard();
    if (shutdown != null && turns.isEmpty()) {
      // next tick: the turn stores its history and last title right after its terminal frame, before Redis closes
      services.vertx().runOnContext(v -> close(GOING_AWAY, "server restarting"));
    }
  }

  /**
   * The node is shutting down: no new questions; the socket closes (1001) once the answers in flight have ended, at
   * once when there are none. Completes when it is closed.
   */
  Future<Void> shutDown() {
    if (shutdown == null) {
      shutdown = Promise.promise();
      if (state == State.CLOSED) {
        shutdown.complete();
      } else if (turns.isEmpty()) {
        close(GOING_AWAY, "server restarting");
      }
    }
    return shutdown.future();
  }

  /**
   * The grace period is over: each answer still running stops (its model stream cancelled) and ends with a typed,
   * retryable {@code unavailable} error after the text already sent; then the socket closes.
   */
  void endAnswersForShutdown() {
    if (state == State.CLOSED) {
      return;
    }
    for (Turn turn : List.copyOf(turns.values())) {
      turn.cancel(true);
      write(ServerFrames.error(turn.queryId(), ErrorCode.UNAVAILABLE, RESTARTING, true));
    }
    open.answersEnded(turns.size());
    turns.clear();
    close(GOING_AWAY, "server restarting");
  }

  private void onFrame(String raw) {
    if (state == State.CLOSED) {
      return;
    }
    idle.heard();
    if (!withinRate()) {
      return;
    }
    if (raw == null) {
      write(ServerFrames.error(null, ErrorCode.BAD_REQUEST, "binary frames are not supported"));
      return;
    }
    if (raw.length() > limits.maxFrameBytes() / 4 && raw.getBytes(StandardCharsets.UTF_8).length > limits.maxFrameBytes()) {
      write(ServerFrames.error(null, ErrorCode.TOO_LARGE, "frame larger than " + limits.maxFrameBytes() + " bytes"));
      return;
    }
    ClientFrame frame;
    try {
      frame = ClientFrame.parse(raw, limits.maxQueryChars());
    } catch (ProtocolException e) {
      write(ServerFrames.error(e.queryId(), e.code(), e.getMessage()));
      return;
    }
    if (frame instanceof ClientFrame.Ping) {
      write(ServerFrames.pong());
    } else if (frame instanceof ClientFrame.Auth auth) {
      if (state == State.AWAITING_AUTH) {
        authenticate(auth.token());
      }
    } else if (state == State.AWAITING_AUTH) {
      refuse("authenticate first");
    } else if (frame instanceof ClientFrame.Query query) {
      startTurn(query);
    } else if (frame instanceof ClientFrame.Cancel cancel) {
      Turn turn = turns.get(cancel.id());
      if (turn != null) {
        turn.cancel(false);
      }
    } else if (frame instanceof ClientFrame.Resume resume) {
      resume(resume.sessionId());
    }
  }

  private void startTurn(ClientFrame.Query query) {
    if (shutdown != null) {
      write(ServerFrames.error(query.id(), ErrorCode.UNAVAILABLE, RESTARTING, true));
      return;
    }
    if (turns.containsKey(query.id())) {
      write(ServerFrames.error(query.id(), ErrorCode.BAD_REQUEST, "a query with this id is still running"));
      return;
    }
    if (turns.size() >= limits.maxConcurrentQueries()) {
      write(ServerFrames.error(query.id(), ErrorCode.RATE_LIMITED,
          "at most " + limits.maxConcurrentQueries() + " answers at a time on one connection"));
      return;
    }
    Turn turn = new Turn(services, this, query.id(), query.text());
    turns.put(query.id(), turn);
    open.answerStarted();
    turn.start();
  }

  /** Fixed one-second window: cheap, and enough to drop a flood without touching well-behaved clients. */
  private boolean withinRate() {
    long now = System.nanoTime();
    if (now - rateWindowStart > 1_000_000_000L) {
      rateWindowStart = now;
      framesInWindow = 0;
      rateErrorSent = false;
    }
    if (++framesInWindow <= limits.maxMessagesPerSecond()) {
      return true;
    }
    if (!rateErrorSent) {
      rateErrorSent = true;
      write(ServerFrames.error(null, ErrorCode.RATE_LIMITED,
          "more than " + limits.maxMessagesPerSecond() + " messages per second; extra messages are dropped"));
    }
    return false;
  }

  private void authenticate(String token) {
    cancelAuthTimer();
    authenticator.userOf(token).onComplete(result -> {
      if (state != State.AWAITING_AUTH) {
        return;
      }
      if (result.failed()) {
        refuse("invalid or expired token");
        return;
      }
      if (!services.sessionsHere().admitUser(result.result(), limits.maxConnectionsPerUser())) {
        write(ServerFrames.error(null, ErrorCode.RATE_LIMITED,
            "at most " + limits.maxConnectionsPerUser() + " connections per user", true));
        close(POLICY_VIOLATION, "too many connections");
        return;
      }
      userId = result.result();
      sessionId = UUID.randomUUID().toString();
      state = State.READY;
      services.sessionsHere().register(sessionId, this);
      services.sessions().create(sessionId, userId)
          .onFailure(e -> LOG.debug("session {} not stored: {}", sessionId, e.getMessage()));
      write(ServerFrames.ready(sessionId, false));
    });
  }

  /** Continues a conversation of the same user, possibly started on another node; never someone else's. */
  private void resume(String requested) {
    services.sessions().owner(requested).onComplete(result -> {
      if (state != State.READY) {
        return;
      }
      if (result.succeeded() && userId.equals(result.result())) {
        services.sessionsHere().unregister(sessionId, this);
        sessionId = requested;
        services.sessionsHere().register(sessionId, this);
        // the conversation's subject comes along, so "is it in stock?" works on the new node too
        services.sessions().lastTitle(requested).onComplete(title -> {
          if (title.succeeded() && title.result() != null) {
            lastTitle = title.result();
          }
          write(ServerFrames.ready(sessionId, true));
        });
      } else if (result.succeeded() && result.result() != null) {
        write(ServerFrames.error(null, ErrorCode.UNAUTHORIZED, "that session belongs to someone else", false));
      } else {
        // unknown or expired session, or Redis unavailable: keep the current (new) session
        write(ServerFrames.ready(sessionId, false));
      }
    });
  }

  private void refuse(String reason) {
    write(ServerFrames.error(null, ErrorCode.UNAUTHORIZED, reason, false));
    close(POLICY_VIOLATION, "unauthorized");
  }

  /** Nothing heard and nothing answered for {@code idleTimeoutSeconds}: the socket is closed (1000). */
  private void onIdle() {
    LOG.debug("closing idle connection of session {}", sessionId);
    close(NORMAL_CLOSURE, "idle timeout");
  }

  /** We close: a close frame goes out, and a shutdown in progress waits for the client's answer to it. */
  private void close(short code, String reason) {
    if (state == State.CLOSED) {
      return;
    }
    Future<Void> closing = channel.close(code, reason);
    onClosed();
    closing.onComplete(result -> {
      if (shutdown != null) {
        shutdown.tryComplete();
      }
    });
  }

  /** The client closed, or the connection dropped. */
  private void onClientGone() {
    if (state == State.CLOSED) {
      return;
    }
    onClosed();
    if (shutdown != null) {
      shutdown.tryComplete();
    }
  }

  private void onDrain() {
    if (slowClientTimer >= 0) {
      services.vertx().cancelTimer(slowClientTimer);
      slowClientTimer = -1;
    }
    for (AnswerWriter writer : List.copyOf(waitingForDrain)) {
      waitingForDrain.remove(writer);
      writer.drained();
    }
  }

  /** Disconnect: every model stream of this connection stops at once. */
  private void onClosed() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    open.remove(this);
    idle.stop();
    services.sessionsHere().unregister(sessionId, this);
    if (userId != null) {
      services.sessionsHere().releaseUser(userId);
    }
    cancelAuthTimer();
    if (slowClientTimer >= 0) {
      services.vertx().cancelTimer(slowClientTimer);
    }
    for (Turn turn : List.copyOf(turns.values())) {
      turn.cancel(true);
    }
    open.answersEnded(turns.size());
    turns.clear();
    waitingForDrain.clear();
  }

  private void cancelAuthTimer() {
    if (authTimer >= 0) {
      services.vertx().cancelTimer(authTimer);
      authTimer = -1;
    }
  }

  private static String tokenFromUri(String uri) {
    if (uri == null) {
      return null;
    }
    int q = uri.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      if (pair.startsWith("token=")) {
        return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
