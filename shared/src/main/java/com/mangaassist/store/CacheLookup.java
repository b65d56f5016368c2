package com.mangaassist.store;

/**
 * The result of a cache lookup. The outcome says why, so the orchestrator can count hits, misses and each kind of
 * rejected near-miss without the cache owning any metrics.
 *
 * @param answer the cached answer on a hit, else null
 * @param similarity cosine of the best semantic candidate seen (also on misses, to tune the threshold); 1 on an
 *     exact hit; NaN when there was no candidate at all
 */
public record CacheLookup(Outcome outcome, CachedAnswer answer, double similarity) {

  public enum Outcome {
    EXACT_HIT("exact"),
    SEMANTIC_HIT("semantic"),
    /** Nothing in the scope, or nothing similar enough. */
    MISS("miss"),
    /** The best candidates were similar enough but one question negates and the other does not. */
    NEGATION_GUARD("negation_guard"),
    /** The best candidates were similar enough but mention different numbers (volume 3 vs volume 4). */
    NUMBER_GUARD("number_guard"),
    /** The best candidates were similar enough but a quoted term of one is absent from the other. */
    QUOTED_TERM_GUARD("quoted_term_guard"),
    /** The intent carries live data (stock, price, orders) and is never cached; or the cache is switched off. */
    DISABLED_INTENT("disabled_intent"),
    /** A personal intent without a user to scope it to: sharing it would leak, so it is not cached. */
    MISSING_USER("missing_user");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** Stable lowercase name for logs and metric tags. */
    public String label() {
      return label;
    }
  }

  static CacheLookup exact(CachedAnswer answer) {
    return new CacheLookup(Outcome.EXACT_HIT, answer, 1.0);
  }

  static CacheLookup semantic(CachedAnswer answer, double similarity) {
    return new CacheLookup(Outcome.SEMANTIC_HIT, answer, similarity);
  }

  static CacheLookup rejected(Outcome reason, double similarity) {
    return new CacheLookup(reason, null, similarity);
  }

  static CacheLookup miss() {
    return new CacheLookup(Outcome.MISS, null, Double.NaN);
  }

  public boolean hit() {
    return outcome == Outcome.EXACT_HIT || outcome == Outcome.SEMANTIC_HIT;
  }

  /** "exact" or "semantic" on a hit, else null. */
  public String tier() {
    return hit() ? outcome.label() : null;
  }

  /** The outcome's label: the tier on a hit, the miss reason otherwise. */
  public String reason() {
    return outcome.label();
  }
}
