package com.mangaassist.bus;

/** Every event-bus address of the system (DESIGN.md §4), in one place. */
public final class Addresses {

  /**
   * publish: a turn finished (sessionId, userId, queryId, requestId, text, intent, entities, answer, source, model,
   * first_token_ms, total_ms, at).
   */
  public static final String TURN_COMPLETED = "mangaassist.turn.completed";
  /** publish: predicted follow-ups are ready (sessionId, queryId, suggestions[]). */
  public static final String PRECOMPUTE_READY = "mangaassist.precompute.ready";
  /** publish: the catalog changed (titleIds[], catalogVersion). */
  public static final String CATALOG_UPDATED = "mangaassist.catalog.updated";
  /** request/reply: run options to run summary. */
  public static final String BENCH_RUN = "mangaassist.bench.run";
  /** publish: run summary with verdicts. */
  public static final String BENCH_RESULT = "mangaassist.bench.result";
  /** publish: severity, intent, metric, baseline, current, pValue, effect, action. */
  public static final String ALERTS = "mangaassist.alerts";
  /** publish: target (prompt, routing), toVersion, reason. */
  public static final String OPS_ROLLBACK = "mangaassist.ops.rollback";

  private Addresses() {}
}
