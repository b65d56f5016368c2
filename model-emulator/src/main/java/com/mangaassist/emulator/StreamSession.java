package com.mangaassist.emulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one {@link GenerationPlan} onto an HTTP response as an event stream: each frame is written (and so flushed)
 * when produced, deltas are paced with Vert.x timers, and pacing waits for the write queue to drain. When the client
 * goes away the pending timer is cancelled at once and the stream counts as cancelled.
 */
final class StreamSession {

  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

  /** HTTP/2 RST_STREAM code for a server-side failure (CANCEL would read as a deliberate stop). */
  private static final long INTERNAL_ERROR = 0x2;

  private enum State { STREAMING, STALLED, DONE }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final StreamDialect dialect;
  private final GenerationPlan plan;
  private final Fault fault;
  private final EmulatorStats stats;
  private State state = State.STREAMING;
  private int deltasSent;
  private long timerId = -1;

  StreamSession(Vertx vertx, HttpServerRequest request, StreamDialect dialect, GenerationPlan plan, Fault fault,
      EmulatorStats stats) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.dialect = dialect;
    this.plan = plan;
    this.fault = fault;
    this.stats = stats;
  }

  void start() {
    stats.opened();
    // HTTP/1.1: fires when the connection closes before end(); HTTP/2: when the stream closes (e.g. RST_STREAM)
    response.closeHandler(v -> onClientGone());
    response.exceptionHandler(error -> onClientGone());
    response.setStatusCode(200)
        .putHeader("content-type", "application/vnd.amazon.eventstream")
        .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
        .putHeader("X-Amzn-Bedrock-Content-Type", "application/json");
    if (request.version() != HttpVersion.HTTP_2) {
      response.setChunked(true);
    }
    dialect.opening().forEach(this::write);
    scheduleNext();
  }

  private void scheduleNext() {
    if (state != State.STREAMING) {
      return;
    }
    if (response.writeQueueFull()) {
      response.drainHandler(v -> scheduleNext());
      return;
    }
    long delay = nextDelay();
    if (delay <= 0) {
      vertx.runOnContext(v -> emitNext());
    } else {
      timerId = vertx.setTimer(delay, id -> emitNext());
    }
  }

  /** Before the first delta: the time to first token; between deltas: the token pace; then end at once. */
  private long nextDelay() {
    if (deltasSent < plan.deltas().size()) {
      return plan.delaysMs()[deltasSent];
    }
    return plan.deltas().isEmpty() ? plan.firstByteLatencyMs() : 0;
  }

  private void emitNext() {
    timerId = -1;
    if (state != State.STREAMING) {
      return;
    }
    if (fault != null && deltasSent == Math.min(fault.after(), plan.deltas().size())) {
      strike();
      return;
    }
    if (deltasSent < plan.deltas().size()) {
      write(dialect.delta(plan.deltas().get(deltasSent++)));
      scheduleNext();
      return;
    }
    dialect.closing().forEach(this::write);
    state = State.DONE;
    response.end();
    stats.completed();
  }

  private void strike() {
    switch (fault.type()) {
      case STALL -> {
        // keep the stream open and silent; it stays counted as open until the client gives up
        state = State.STALLED;
        LOG.debug("stalling stream {} after {} deltas", plan.messageId(), deltasSent);
      }
      case ABRUPT_CLOSE -> {
        state = State.DONE;
        stats.failed();
        // half of the next frame first, as when a connection dies mid-write
        Buffer next = deltasSent < plan.deltas().size()
            ? dialect.delta(plan.deltas().get(deltasSent)) : dialect.closing().get(0);
        response.write(next.slice(0, next.length() / 2));
        if (request.version() == HttpVersion.HTTP_2) {
          response.reset(INTERNAL_ERROR);
        } else {
          request.connection().close();
        }
      }
      default -> {
        BedrockError error = fault.type().error;
        write(EventStreamFrames.exception(error.exceptionType, error.defaultMessage));
        state = State.DONE;
        response.end();
        stats.failed();
      }
    }
  }

  private void write(Buffer frame) {
    response.write(frame);
  }

  private void onClientGone() {
    if (state == State.DONE) {
      return;
    }
    state = State.DONE;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    stats.cancelled();
    LOG.debug("client left stream {} after {} deltas", plan.messageId(), deltasSent);
  }
}
