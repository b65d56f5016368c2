package com.mangaassist.benchmark.compare;

/**
 * What the severity of one intent and metric is judged on; NaN where a figure does not apply or could not be
 * computed (no samples, no first-token target for total latency), which never supports a verdict.
 *
 * @param p95Ratio new p95 / base p95
 * @param p95RatioLower lower end of the p95 ratio's bootstrap interval
 * @param tailP one-sided exact tail-exceedance p-value (new values above the base p95)
 * @param mwuPGreater one-sided Mann-Whitney p-value (new slower)
 * @param shiftLowerFraction lower end of the Hodges-Lehmann shift's interval over the base median: the slowdown
 *     of a typical request that the data vouch for, as a fraction
 * @param firstTokenOverTarget new p95 / its first-token target
 * @param firstTokenTargetP one-sided binomial p-value of "p95 above target × (1 + tolerance)"
 * @param errorRateNew the new run's error rate
 * @param errorP one-sided Fisher p-value of "new error rate higher"
 */
public record RegressionEvidence(
    double p95Ratio,
    double p95RatioLower,
    double tailP,
    double mwuPGreater,
    double shiftLowerFraction,
    double firstTokenOverTarget,
    double firstTokenTargetP,
    double errorRateNew,
    double errorP) {}
