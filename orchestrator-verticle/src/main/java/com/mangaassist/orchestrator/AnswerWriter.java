package com.mangaassist.orchestrator;

import com.mangaassist.protocol.ServerFrames;
import io.vertx.core.Vertx;

/**
 * Writes one answer's text as {@code chunk} frames with gap-free {@code seq}: the first delta immediately,
 * later deltas batched. While the client's write queue is full, text is coalesced in memory (bounded) and
 * written in one chunk when the queue drains.
 */
final class AnswerWriter {

  private final Vertx vertx;
  private final AnswerSink connection;
  private final String queryId;
  private final StreamingOptions options;
  private final StringBuilder pending = new StringBuilder();
  private int pendingDeltas;
  private long seq;
  private int chunksSent;
  private long batchTimer = -1;
  private boolean waitingForDrain;
  private boolean finished;

  AnswerWriter(Vertx vertx, AnswerSink connection, String queryId, StreamingOptions options) {
    this.vertx = vertx;
    this.connection = connection;
    this.queryId = queryId;
    this.options = options;
  }

  /** Adds one model delta; returns true when it was written to the socket right away. */
  boolean delta(String text) {
    if (finished || text.isEmpty()) {
      return false;
    }
    pending.append(text);
    pendingDeltas++;
    if (options.firstDeltaAtOnce() && seq == 0 && chunksSent == 0) {
      return flush();
    }
    if (pendingDeltas >= options.batchDeltas()) {
      return flush();
    }
    if (batchTimer < 0 && !waitingForDrain) {
      batchTimer = vertx.setTimer(options.batchWindowMs(), id -> {
        batchTimer = -1;
        flush();
      });
    }
    return false;
  }

  /** Writes what is pending, then the terminal frame; nothing is written by this writer afterwards. */
  void finish(String terminalFrame) {
    if (finished) {
      return;
    }
    cancelBatchTimer();
    writePending();
    finished = true;
    connection.write(terminalFrame);
    if (waitingForDrain) {
      connection.stopWaitingForDrain(this);
    }
  }

  /** Ends without any further frame (the connection is gone). */
  void abandon() {
    finished = true;
    cancelBatchTimer();
    pending.setLength(0);
    if (waitingForDrain) {
      connection.stopWaitingForDrain(this);
    }
  }

  int chunksSent() {
    return chunksSent;
  }

  /** Called by the connection when the client's write queue has room again. */
  void drained() {
    waitingForDrain = false;
    flush();
  }

  private boolean flush() {
    cancelBatchTimer();
    if (finished || pending.length() == 0) {
      return false;
    }
    if (connection.writeQueueFull()) {
      if (pending.length() > options.slowClientMaxPendingChars()) {
        connection.closeSlowClient();
        return false;
      }
      if (!waitingForDrain) {
        waitingForDrain = true;
        connection.waitForDrain(this);
      }
      return false;
    }
    writePending();
    return true;
  }

  private void writePending() {
    if (pending.length() == 0) {
      return;
    }
    connection.write(ServerFrames.chunk(queryId, seq++, pending.toString()));
    chunksSent++;
    pending.setLength(0);
    pendingDeltas = 0;
  }

  private void cancelBatchTimer() {
    if (batchTimer >= 0) {
      vertx.cancelTimer(batchTimer);
      batchTimer = -1;
    }
  }
}
