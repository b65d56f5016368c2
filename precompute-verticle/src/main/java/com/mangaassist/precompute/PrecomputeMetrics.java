package com.mangaassist.precompute;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What precompute does in the background, and what became of it: predictions made, follow-ups and hits per trigger
 * intent (with the hit rate as a gauge), answers served, answers expired unused (waste) and the background tokens
 * they cost, warming rounds. Guard rejections are counted where answers are matched, in the orchestrator:
 * {@code precompute_lookups{outcome}} (served, served_exact, no_candidate, below_threshold, negation_guard,
 * number_guard, cue_guard).
 */
final class PrecomputeMetrics {

  private final MeterRegistry registry;
  private final Counter backgroundTokens;
  private final Counter throttleBackoffs;
  private final Counter invalidated;
  /** Triggers whose hit-rate gauge is registered (Micrometer warns on a second registration). */
  private final java.util.Set<String> rateGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();

  PrecomputeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.backgroundTokens = registry.counter("mangaassist.precompute.background.tokens");
    this.throttleBackoffs = registry.counter("mangaassist.precompute.throttle.backoffs");
    this.invalidated = registry.counter("mangaassist.precompute.invalidated");
  }

  /**
   * A turn followed a turn of intent {@code trigger} in its session; {@code hit} when it was answered from precompute.
   * The hit rate per trigger intent is {@code hits / followups}, also exported as the gauge
   * {@code mangaassist.precompute.hit.rate{trigger}}.
   */
  void followUp(String trigger, boolean hit) {
    Counter followUps = registry.counter("mangaassist.precompute.followups", "trigger", trigger);
    Counter hits = registry.counter("mangaassist.precompute.hits", "trigger", trigger);
    followUps.increment();
    if (hit) {
      hits.increment();
    }
    if (!rateGauges.add(trigger)) {
      return;
    }
    // strong reference: nothing else holds the pair of counters
    io.micrometer.core.instrument.Gauge.builder("mangaassist.precompute.hit.rate", new Counter[] {hits, followUps},
            c -> c[1].count() == 0 ? 0 : c[0].count() / c[1].count())
        .tag("trigger", trigger).strongReference(true).register(registry);
  }

  /** A stored answer was served (recognised in the completed turn). */
  void served(AnswerLedger.Entry entry) {
    registry.counter("mangaassist.precompute.served", "source", entry.source(), "intent", entry.intent(),
        "trigger", entry.triggerIntent()).increment();
  }

  /** A stored answer expired without being served: waste, and the background tokens it cost. */
  void wasted(AnswerLedger.Entry entry) {
    registry.counter("mangaassist.precompute.wasted", "source", entry.source(), "intent", entry.intent()).increment();
    registry.counter("mangaassist.precompute.wasted.tokens").increment(Math.max(0, entry.tokens()));
  }

  /** A warming round ({@code reason}: periodic, schedule, catalog) stored {@code stored} answers. */
  void warmed(String reason, int stored) {
    registry.counter("mangaassist.precompute.warm.rounds", "reason", reason).increment();
    registry.counter("mangaassist.precompute.warmed", "reason", reason).increment(stored);
  }

  /** A catalog change announced; {@code outcome} applied, or repeated when another orchestrator announced it first. */
  void catalogUpdate(String outcome) {
    registry.counter("mangaassist.precompute.catalog.updates", "outcome", outcome).increment();
  }

  /** A genre's browse answer fetched ahead for a shopper who leans to it. */
  void segmentPrefetched(String genre) {
    registry.counter("mangaassist.precompute.segment.prefetched", "genre", genre).increment();
  }

  /** A follow-up predicted after {@code trigger} (one count per predicted intent and turn). */
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

  /** The value of the gauge of this name carrying these tags, NaN when there is none. */
  double gauge(String name, String... tags) {
    io.micrometer.core.instrument.Gauge gauge = registry.find(name).tags(tags).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  double sum(String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
