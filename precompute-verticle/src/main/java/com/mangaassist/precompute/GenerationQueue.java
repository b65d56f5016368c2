package com.mangaassist.precompute;

import com.mangaassist.precompute.BackgroundBudget.Refusal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Background generations waiting for the {@link BackgroundBudget}: the most probable follow-up starts first, and a
 * generation waits for a free slot instead of being dropped when the concurrency caps are reached (the shopper reads
 * for seconds; a slot frees within one Haiku answer). It gives up after {@code maxWaitMs} (the answer would come too
 * late to matter) and is refused at once when waiting cannot help: the model throttled (cool-down), or the session or
 * the minute has no tokens left.
 *
 * <p>Not thread-safe: used only on the verticle's event loop. Time is passed in, so tests never sleep on it.
 */
final class GenerationQueue {

  /** A generation to start once admitted; the budget is already acquired when {@link #start} runs. */
  interface Job {
    void start();

    /** Not started: the refusal's name in lower case, or {@code queue_expired}, {@code queue_full}. */
    void dropped(String reason);
  }

  private record Waiting(String sessionId, double priority, long sequence, long deadline, Job job) {}

  private static final Comparator<Waiting> ORDER = Comparator.comparingDouble(Waiting::priority).reversed()
      .thenComparingLong(Waiting::sequence);

  private final BackgroundBudget budget;
  private final int maxTokens;
  private final long maxWaitMs;
  private final int maxWaiting;
  private final List<Waiting> waiting = new ArrayList<>();
  private long sequence;

  GenerationQueue(BackgroundBudget budget, int maxTokens, long maxWaitMs, int maxWaiting) {
    this.budget = budget;
    this.maxTokens = maxTokens;
    this.maxWaitMs = maxWaitMs;
    this.maxWaiting = Math.max(1, maxWaiting);
  }

  /** Queues a generation of {@code sessionId} with {@code priority} (its probability) and starts what fits. */
  void submit(String sessionId, double priority, long nowMs, Job job) {
    waiting.add(new Waiting(sessionId, priority, sequence++, nowMs + maxWaitMs, job));
    waiting.sort(ORDER);
    if (waiting.size() > maxWaiting) {
      waiting.remove(waiting.size() - 1).job().dropped("queue_full");
    }
    pump(nowMs);
  }

  /** Starts, most probable first, every waiting generation the budget admits now; call after every release. */
  void pump(long nowMs) {
    Iterator<Waiting> it = waiting.iterator();
    List<Job> admitted = new ArrayList<>();
    List<Waiting> refused = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    while (it.hasNext()) {
      Waiting next = it.next();
      if (nowMs >= next.deadline()) {
        it.remove();
        refused.add(next);
        reasons.add("queue_expired");
        continue;
      }
      Refusal refusal = budget.tryAcquire(next.sessionId(), maxTokens, nowMs);
      if (refusal == null) {
        it.remove();
        admitted.add(next.job());
      } else if (refusal == Refusal.GLOBAL_CONCURRENCY) {
        break; // nothing else fits either: wait for a release
      } else if (refusal != Refusal.SESSION_CONCURRENCY) {
        // cool-down, or no tokens left: waiting would not make it fit in time
        it.remove();
        refused.add(next);
        reasons.add(refusal.name().toLowerCase(java.util.Locale.ROOT));
      }
      // a session at its own cap waits while others' generations go ahead
    }
    for (int i = 0; i < refused.size(); i++) {
      refused.get(i).job().dropped(reasons.get(i));
    }
    admitted.forEach(Job::start);
  }

  int waiting() {
    return waiting.size();
  }
}
