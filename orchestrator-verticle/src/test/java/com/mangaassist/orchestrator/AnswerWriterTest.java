package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** First delta at once, then batches; coalescing while the client's queue is full; slow clients cut loose. */
class AnswerWriterTest {

  /** A time bound far longer than any test step, so only the delta count decides a batch... */
  private static final StreamingOptions BY_COUNT = new StreamingOptions(3, 60_000, 65_536, 50, 10_000, true);
  /** ...except where the time bound itself is under test. */
  private static final StreamingOptions BY_TIME = new StreamingOptions(3, 20, 65_536, 50, 10_000, true);

  /** A client connection whose write queue the test fills and drains at will. */
  private static final class FakeSink implements AnswerSink {
    final List<JsonObject> frames = new ArrayList<>();
    boolean full;
    int drainWaits;
    boolean closedAsSlow;

    @Override
    public void write(String frame) {
      frames.add(new JsonObject(frame));
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void waitForDrain(AnswerWriter writer) {
      drainWaits++;
    }

    @Override
    public void stopWaitingForDrain(AnswerWriter writer) {}

    @Override
    public void closeSlowClient() {
      closedAsSlow = true;
    }
  }

  private Vertx vertx;
  private Context context;
  private FakeSink sink;
  private AnswerWriter writer;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    sink = new FakeSink();
    writer = new AnswerWriter(vertx, sink, "q1", BY_COUNT);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutFirstDeltaAtOnceTheFirstDeltaWaitsForItsBatch() throws Exception {
    // the "without" arm of bench checklist: what the first-delta rule saves is a whole batch
    AnswerWriter batchedFromTheStart = new AnswerWriter(vertx, sink, "q1",
        new StreamingOptions(3, 60_000, 65_536, 50, 10_000, false));
    onContext(() -> {
      batchedFromTheStart.delta("Based");
      batchedFromTheStart.delta(" on");
    });
    assertEquals(List.of(), texts());
    onContext(() -> batchedFromTheStart.delta(" your"));
    assertEquals(List.of("Based on your"), texts());
  }

  @Test
  void firstDeltaGoesOutAtOnceThenEveryThirdDeltaFlushesABatch() throws Exception {
    onContext(() -> writer.delta("Based"));
    assertEquals(List.of("Based"), texts());
    onContext(() -> {
      writer.delta(" on");
      writer.delta(" your");
    });
    assertEquals(List.of("Based"), texts(), "two deltas wait for the batch");
    onContext(() -> writer.delta(" love"));
    assertEquals(List.of("Based", " on your love"), texts());
    assertEquals(List.of(0L, 1L), seqs());
  }

  @Test
  void aShortBatchIsFlushedByTheTimeBound() throws Exception {
    writer = new AnswerWriter(vertx, sink, "q1", BY_TIME);
    onContext(() -> {
      writer.delta("One");
      writer.delta(" Piece");
    });
    awaitFrames(2);
    assertEquals(List.of("One", " Piece"), texts());
  }

  @Test
  void whileTheQueueIsFullTextIsCoalescedAndWrittenOnDrain() throws Exception {
    onContext(() -> writer.delta("a"));
    sink.full = true;
    onContext(() -> {
      for (String delta : List.of("b", "c", "d", "e", "f", "g")) {
        writer.delta(delta);
      }
    });
    assertEquals(List.of("a"), texts(), "nothing is written into a full queue");
    assertEquals(1, sink.drainWaits, "one drain wait, however many deltas");
    sink.full = false;
    onContext(writer::drained);
    assertEquals(List.of("a", "bcdefg"), texts());
    assertEquals(List.of(0L, 1L), seqs(), "seq stays gap-free across coalescing");
  }

  @Test
  void aClientThatLetsTooMuchPileUpIsClosedAsSlow() throws Exception {
    onContext(() -> writer.delta("a"));
    sink.full = true;
    onContext(() -> {
      for (int i = 0; i < 30; i++) {
        writer.delta("xyz");
      }
    });
    assertTrue(sink.closedAsSlow, "more than slowClientMaxPendingChars waiting: the client is cut loose");
  }

  @Test
  void finishWritesWhatIsPendingThenTheTerminalFrameAndNothingAfter() throws Exception {
    onContext(() -> {
      writer.delta("a");
      writer.delta("b");
      writer.finish(new JsonObject().put("type", "done").put("id", "q1").encode());
      writer.delta("late");
    });
    assertEquals(3, sink.frames.size());
    assertEquals("b", sink.frames.get(1).getString("text"));
    assertEquals("done", sink.frames.get(2).getString("type"));
  }

  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.get(5, TimeUnit.SECONDS);
  }

  private void awaitFrames(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      CompletableFuture<Integer> size = new CompletableFuture<>();
      context.runOnContext(v -> size.complete(sink.frames.size()));
      if (size.get() >= count) {
        return;
      }
      Thread.sleep(5);
    }
  }

  private List<String> texts() throws Exception {
    CompletableFuture<List<String>> texts = new CompletableFuture<>();
    context.runOnContext(v -> texts.complete(sink.frames.stream().map(f -> f.getString("text")).toList()));
    return texts.get(5, TimeUnit.SECONDS);
  }

  private List<Long> seqs() throws Exception {
    CompletableFuture<List<Long>> seqs = new CompletableFuture<>();
    context.runOnContext(v -> seqs.complete(sink.frames.stream().map(f -> f.getLong("seq")).toList()));
    return seqs.get(5, TimeUnit.SECONDS);
  }
}
