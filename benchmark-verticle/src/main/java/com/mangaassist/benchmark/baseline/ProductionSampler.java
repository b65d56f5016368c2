package com.mangaassist.benchmark.baseline;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;

/**
 * Feeds a fraction of real turns ({@code mangaassist.turn.completed}: {@code first_token_ms}, {@code total_ms}, server
 * clock) into the {@code production} baseline, so the latency of real traffic is on record next to synthetic replay.
 *
 * <p>Only turns answered by the model are sampled: cache hits and precomputed answers take milliseconds, and mixing
 * them in would make the baseline move with the hit rate rather than with the system's speed. Failed turns publish no
 * {@code turn.completed}, so this baseline has no error rate.
 */
public final class ProductionSampler {

  private final BaselineStore baseline;
  private final double fraction;
  private final SplittableRandom random = new SplittableRandom();

  /** {@code config}: {@code fraction} of model-answered turns sampled (0.05; 0 turns sampling off). */
  public ProductionSampler(BaselineStore baseline, JsonObject config) {
    this.baseline = baseline;
    this.fraction = config.getDouble("fraction", 0.05);
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("productionSampling.fraction must be within [0, 1]: " + fraction);
    }
  }

  public boolean enabled() {
    return fraction > 0;
  }

  /** Samples one completed turn, or not; never fails the caller (a lost sample is no loss). */
  public Future<Boolean> offer(JsonObject turn) {
    Double firstTokenMs = turn.getDouble("first_token_ms");
    Double totalMs = turn.getDouble("total_ms");
    String intent = turn.getString("intent");
    if (!"model".equals(turn.getString("source")) || firstTokenMs == null || totalMs == null || intent == null
        || random.nextDouble() >= fraction) {
      return Future.succeededFuture(false);
    }
    String turnId = turn.getString("sessionId", "") + "/" + turn.getString("queryId", "");
    return baseline.addTurn(intent, turnId, firstTokenMs, totalMs, System.currentTimeMillis())
        .map(true)
        .otherwise(false);
  }
}
