package com.mangaassist.benchmark.replay;

import com.mangaassist.benchmark.client.ChatEndpoint;
import com.mangaassist.benchmark.client.ChatSocket;
import com.mangaassist.benchmark.client.QueryOutcome;
import com.mangaassist.benchmark.client.SignedTokens;
import com.mangaassist.benchmark.synthetic.SyntheticQueries;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Asks synthetic shopper questions through the public WebSocket exactly as a client would, and times them on the
 * client: time to the first non-empty chunk and to the terminal frame.
 *
 * <p>Questions go round-robin over the intents (round 1 of every intent, then round 2…), so drift during the run
 * (a GC, a noisy neighbour) touches every intent alike, and the first {@code warmup} rounds are every intent's
 * warm-up. Each socket asks one question at a time: a closed loop, one shopper typing, so a regression shows as
 * latency rather than as queueing inside the benchmark.
 *
 * <p>Every question carries a unique reference ({@code (ref RUN-N)}), as {@code load --fresh} does: the semantic cache
 * and precomputed answers would otherwise answer repeats in a few milliseconds and hide the path a new question
 * takes, and the baseline would drift with the cache's fill level. The cache's own speed is measured by
 * {@code bench checklist}.
 */
public final class SyntheticReplay {

  /** One question done: how many of how many, and its record. */
  public record Progress(int done, int total, QueryRecord last) {}

  private final Vertx vertx;
  private final SyntheticQueries questions;
  private final ReplayOptions options;
  private final SignedTokens tokens;
  private final Consumer<Progress> progress;

  /** Shoppers sign in with dev tokens ({@code /auth/dev-token}): a system in dev mode. */
  public SyntheticReplay(Vertx vertx, SyntheticQueries questions, ReplayOptions options, Consumer<Progress> progress) {
    this(vertx, questions, options, null, progress);
  }

  /** {@code tokens}: shoppers sign in with tokens signed by the orchestrator's secret; null for dev tokens. */
  public SyntheticReplay(Vertx vertx, SyntheticQueries questions, ReplayOptions options, SignedTokens tokens,
      Consumer<Progress> progress) {
    this.vertx = vertx;
    this.questions = questions;
    this.options = options;
    this.tokens = tokens;
    this.progress = progress;
  }

  /** Runs the replay; fails only when no socket could connect. */
  public Future<ReplayRun> run() {
    List<String> intents = options.intents().isEmpty() ? questions.intents() : options.intents();
    for (String intent : intents) {
      if (!questions.intents().contains(intent)) {
        return Future.failedFuture(new IllegalArgumentException("no synthetic questions for intent " + intent
            + " (known: " + questions.intents() + ")"));
      }
    }
    String runId = HexFormat.of().toHexDigits(new SplittableRandom(options.seed() ^ System.nanoTime()).nextInt());
    String started = Instant.now().toString();
    List<PlannedQuery> plan = plan(intents, runId);
    ConcurrentLinkedQueue<PlannedQuery> queue = new ConcurrentLinkedQueue<>(plan);
    AtomicReferenceArray<QueryRecord> records = new AtomicReferenceArray<>(plan.size());
    AtomicInteger done = new AtomicInteger();
    ChatEndpoint endpoint = ChatEndpoint.of(vertx, options.url(), options.sockets());
    List<Future<Void>> sockets = new ArrayList<>();
    for (int i = 0; i < options.sockets(); i++) {
      String user = "bench-" + runId + "-" + i;
      sockets.add((tokens == null ? endpoint.connect(user) : endpoint.connectWithToken(tokens.tokenFor(user)))
          .compose(socket -> askInTurn(socket, queue, records, done, plan.size())
              .eventually(() -> socket.close().otherwiseEmpty())));
    }
    return Future.join(sockets)
        .transform(joined -> {
          if (sockets.stream().allMatch(Future::failed)) {
            return Future.<ReplayRun>failedFuture(new IllegalStateException("no socket connected to "
                + options.url() + ": " + sockets.get(0).cause().getMessage()));
          }
          List<QueryRecord> finished = new ArrayList<>();
          for (int i = 0; i < records.length(); i++) {
            if (records.get(i) != null) {
              finished.add(records.get(i));
            }
          }
          return Future.succeededFuture(ReplayRun.of(options, runId, started, intents, finished));
        })
        .eventually(endpoint::close);
  }

  private List<PlannedQuery> plan(List<String> intents, String runId) {
    List<PlannedQuery> plan = new ArrayList<>();
    int rounds = options.warmup() + options.perIntent();
    for (int round = 0; round < rounds; round++) {
      for (String intent : intents) {
        int index = plan.size();
        String text = questions.next(intent).text() + " (ref " + runId + "-" + index + ")";
        plan.add(new PlannedQuery(index, intent, text, round < options.warmup()));
      }
    }
    return plan;
  }

  /** Takes questions off the shared queue one at a time until it is empty. */
  private Future<Void> askInTurn(ChatSocket socket, ConcurrentLinkedQueue<PlannedQuery> queue,
      AtomicReferenceArray<QueryRecord> records, AtomicInteger done, int total) {
    Promise<Void> finished = Promise.promise();
    askNext(socket, queue, records, done, total, finished);
    return finished.future();
  }

  private void askNext(ChatSocket socket, ConcurrentLinkedQueue<PlannedQuery> queue,
      AtomicReferenceArray<QueryRecord> records, AtomicInteger done, int total, Promise<Void> finished) {
    PlannedQuery query = socket.isOpen() ? queue.poll() : null;
    if (query == null) {
      finished.complete();
      return;
    }
    socket.ask("b" + query.index(), query.text(), System.nanoTime(), options.timeoutMs())
        .onComplete(answered -> {
          QueryOutcome outcome = answered.result();
          QueryRecord record = new QueryRecord(query.intent(), query.text(), query.warmup(), outcome);
          records.set(query.index(), record);
          progress.accept(new Progress(done.incrementAndGet(), total, record));
          askNext(socket, queue, records, done, total, finished);
        });
  }

  private record PlannedQuery(int index, String intent, String text, boolean warmup) {}
}
