package com.mangaassist.precompute;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Admission control for background model generations, so that speculation never competes with live chat:
 * a global and a per-session cap on concurrent generations, a per-session cap on total background tokens, a global
 * token budget per minute, and a cool-down after the model throttles. A generation reserves its {@code maxTokens}
 * up front (so caps hold even while it runs) and settles to the tokens actually produced when it ends.
 *
 * <p>Not thread-safe: used only on the verticle's event loop. Time is passed in, so tests never sleep on it.
 */
final class BackgroundBudget {

  /** Why a generation was refused (metric tag). */
  enum Refusal { COOL_DOWN, GLOBAL_CONCURRENCY, SESSION_CONCURRENCY, SESSION_TOKENS, GLOBAL_TOKENS }

  private final int perSessionMaxConcurrent;
  private final long perSessionMaxTokens;
  private final int globalMaxConcurrent;
  private final long globalTokensPerMinute;
  private final long coolDownMs;
  private final int maxTrackedSessions;

  private final Map<String, Integer> sessionRunning = new HashMap<>();
  private final Map<String, Long> sessionTokens;
  private int running;
  private long windowStart = Long.MIN_VALUE;
  private long windowTokens;
  private long coolDownUntil = Long.MIN_VALUE;

  BackgroundBudget(JsonObject budgets, int maxTrackedSessions) {
    this.perSessionMaxConcurrent = budgets.getInteger("perSessionMaxConcurrent", 2);
    this.perSessionMaxTokens = budgets.getLong("perSessionMaxTokens", 1200L);
    this.globalMaxConcurrent = budgets.getInteger("globalMaxConcurrent", 4);
    this.globalTokensPerMinute = budgets.getLong("globalTokensPerMinute", 20_000L);
    this.coolDownMs = budgets.getLong("throttleCoolDownMs", 30_000L);
    this.maxTrackedSessions = maxTrackedSessions;
    // oldest sessions forgotten first: a session idle long enough to be evicted has no live answers left anyway
    this.sessionTokens = new java.util.LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
        return size() > BackgroundBudget.this.maxTrackedSessions;
      }
    };
  }

  /** Null when the generation may start (its tokens are then reserved), else why not. */
  Refusal tryAcquire(String sessionId, int maxTokens, long nowMs) {
    if (nowMs < coolDownUntil) {
      return Refusal.COOL_DOWN;
    }
    if (running >= globalMaxConcurrent) {
      return Refusal.GLOBAL_CONCURRENCY;
    }
    if (sessionRunning.getOrDefault(sessionId, 0) >= perSessionMaxConcurrent) {
      return Refusal.SESSION_CONCURRENCY;
    }
    if (sessionTokens.getOrDefault(sessionId, 0L) + maxTokens > perSessionMaxTokens) {
      return Refusal.SESSION_TOKENS;
    }
    if (nowMs - windowStart >= 60_000L) {
      windowStart = nowMs;
      windowTokens = 0;
    }
    if (windowTokens + maxTokens > globalTokensPerMinute) {
      return Refusal.GLOBAL_TOKENS;
    }
    running++;
    sessionRunning.merge(sessionId, 1, Integer::sum);
    sessionTokens.merge(sessionId, (long) maxTokens, Long::sum);
    windowTokens += maxTokens;
    return null;
  }

  /** Ends a generation that reserved {@code reserved} tokens and used {@code used}. */
  void release(String sessionId, int reserved, int used) {
    running = Math.max(0, running - 1);
    sessionRunning.computeIfPresent(sessionId, (k, n) -> n <= 1 ? null : n - 1);
    long refund = Math.max(0, reserved - used);
    sessionTokens.computeIfPresent(sessionId, (k, n) -> Math.max(0, n - refund));
    windowTokens = Math.max(0, windowTokens - refund);
  }

  /** The model throttled: no background generation starts before {@code nowMs + throttleCoolDownMs}. */
  void throttled(long nowMs) {
    coolDownUntil = nowMs + coolDownMs;
  }

  boolean coolingDown(long nowMs) {
    return nowMs < coolDownUntil;
  }

  int running() {
    return running;
  }
}
