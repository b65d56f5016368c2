package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationQueueTest {

  private final List<String> events = new ArrayList<>();
  private final BackgroundBudget budget = new BackgroundBudget(new JsonObject().put("globalMaxConcurrent", 1)
      .put("perSessionMaxConcurrent", 1).put("perSessionMaxTokens", 1000).put("globalTokensPerMinute", 100_000)
      .put("throttleCoolDownMs", 5000), 100);
  private final GenerationQueue queue = new GenerationQueue(budget, 300, 2000, 3);

  private GenerationQueue.Job job(String name) {
    return new GenerationQueue.Job() {
      @Override
      public void start() {
        events.add("start " + name);
      }

      @Override
      public void dropped(String reason) {
        events.add("drop " + name + " " + reason);
      }
    };
  }

  @Test
  void theMostProbableWaitingGenerationStartsWhenASlotFrees() {
    queue.submit("a", 0.2, 0, job("a-low"));
    queue.submit("b", 0.1, 0, job("b-lowest"));
    queue.submit("c", 0.5, 0, job("c-high"));
    assertEquals(List.of("start a-low"), events, "one slot: the first submitted runs, the others wait");
    budget.release("a", 300, 100);
    queue.pump(10);
    assertEquals(List.of("start a-low", "start c-high"), events, "most probable first, not first come");
    assertEquals(1, queue.waiting());
  }

  @Test
  void aSessionAtItsOwnCapWaitsWhileOthersGoAhead() {
    BackgroundBudget roomy = new BackgroundBudget(new JsonObject().put("globalMaxConcurrent", 4)
        .put("perSessionMaxConcurrent", 1).put("perSessionMaxTokens", 1000), 100);
    GenerationQueue q = new GenerationQueue(roomy, 300, 2000, 10);
    q.submit("a", 0.9, 0, job("a1"));
    q.submit("a", 0.8, 0, job("a2"));
    q.submit("b", 0.1, 0, job("b1"));
    assertEquals(List.of("start a1", "start b1"), events);
    roomy.release("a", 300, 300);
    q.pump(5);
    assertEquals(List.of("start a1", "start b1", "start a2"), events);
  }

  @Test
  void waitingEndsAtTheDeadlineAndWhenTheModelThrottles() {
    queue.submit("a", 0.5, 0, job("running"));
    queue.submit("b", 0.4, 0, job("late"));
    queue.pump(2000);
    assertEquals(List.of("start running", "drop late queue_expired"), events);
    queue.submit("c", 0.3, 2000, job("cooled"));
    budget.release("a", 300, 300);
    budget.throttled(2001);
    queue.pump(2001);
    assertEquals("drop cooled cool_down", events.get(events.size() - 1), "a cool-down outlasts the wait: refused now");
    assertEquals(0, queue.waiting());
  }

  @Test
  void aFullQueueDropsItsLeastProbableGeneration() {
    queue.submit("a", 0.9, 0, job("running"));
    queue.submit("b", 0.5, 0, job("w1"));
    queue.submit("c", 0.6, 0, job("w2"));
    queue.submit("d", 0.7, 0, job("w3"));
    queue.submit("e", 0.8, 0, job("w4"));
    assertEquals(List.of("start running", "drop w1 queue_full"), events);
    assertEquals(3, queue.waiting());
  }
}
