package com.mangaassist.benchmark.compare;

import com.mangaassist.benchmark.stats.IntervalEstimate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One intent and metric of a comparison, with its severity.
 *
 * @param intent the intent
 * @param metric the latency compared
 * @param latency the latency statistics
 * @param errorRateBase errors / count in the base run (per intent, the same for both metrics)
 * @param errorRateNew errors / count in the new run
 * @param errorP one-sided Fisher p-value of "new error rate higher"
 * @param severity the verdict
 */
public record MetricComparison(
    String intent,
    Metric metric,
    LatencyStatistics latency,
    double errorRateBase,
    double errorRateNew,
    double errorP,
    Severity severity) {

  /** The comparison's JSON; figures that could not be computed (no samples on one side) are null. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("intent", intent)
        .put("metric", metric.key())
        .put("n_base", latency.nBase())
        .put("n_new", latency.nNew())
        .put("median_base", number(latency.medianBase().estimate()))
        .put("median_new", number(latency.medianNew().estimate()))
        .put("p95_base", number(latency.p95Base()))
        .put("p95_new", number(latency.p95New()))
        .put("mwu_u", number(latency.mannWhitney().u()))
        .put("mwu_p", number(latency.mannWhitney().pTwoSided()))
        .put("mwu_p_greater", number(latency.mannWhitney().pGreater()))
        .put("hl_shift_ms", number(latency.hodgesLehmann().estimate()))
        .put("hl_ci", interval(latency.hodgesLehmann()))
        .put("cliffs_delta", number(latency.cliffsDelta()))
        .put("cohens_d", number(latency.cohensD()))
        .put("p95_ratio", number(latency.p95Ratio().estimate()))
        .put("p95_ratio_ci", interval(latency.p95Ratio()))
        .put("tail_p", number(latency.tailP()))
        .put("error_rate_base", errorRateBase)
        .put("error_rate_new", errorRateNew)
        .put("error_p", errorP)
        .put("severity", severity.label());
  }

  private static JsonArray interval(IntervalEstimate estimate) {
    return new JsonArray().add(number(estimate.lower())).add(number(estimate.upper()));
  }

  /** JSON has no NaN or infinity. */
  private static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
