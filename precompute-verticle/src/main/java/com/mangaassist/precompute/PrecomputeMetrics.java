package com.mangaassist.precompute;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What precompute does in the background. Served hits, hit rate per trigger intent, waste (expired unused) and guard
 * rejections are counted where answers are served: the orchestrator.
 */
final class PrecomputeMetrics {

  private final MeterRegistry registry;
  private final Counter backgroundTokens;
  private final Counter throttleBackoffs;
  private final Counter invalidated;

  PrecomputeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.backgroundTokens = registry.counter("mangaassist.precompute.background.tokens");
    this.throttleBackoffs = registry.counter("mangaassist.precompute.throttle.backoffs");
    this.invalidated = registry.counter("mangaassist.precompute.invalidated");
  }

  /** A follow-up predicted above the floor, within top-k, after {@code trigger}. */
  void predicted(String trigger, String intent) {
    registry.counter("mangaassist.precompute.predictions", "trigger", trigger, "intent", intent).increment();
  }

  /** An answer stored; {@code source} catalog or model. */
  void generated(String source, String intent) {
    registry.counter("mangaassist.precompute.generated", "source", source, "intent", intent).increment();
  }

  /** A prediction not generated: budget refusal, cool-down, already stored, no title, failure. */
  void skipped(String reason) {
    registry.counter("mangaassist.precompute.skipped", "reason", reason).increment();
  }

  void tokens(int outputTokens) {
    backgroundTokens.increment(Math.max(0, outputTokens));
  }

  void throttled() {
    throttleBackoffs.increment();
  }

  void invalidated(int count) {
    invalidated.increment(count);
  }

  /** The sum of every counter of this name carrying these tags (others tags may differ). */
  double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  double sum(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
