package com.mangaassist.benchmark.compare;

/**
 * The seed design's severity table, applied only where the data support it: a row counts when its effect is both
 * statistically significant and beyond the practical tolerance (Kayenta's rule), never on significance alone. The
 * severity is the worst row:
 * <ul>
 *   <li><b>p95 over baseline</b>: band of the observed p95 ratio. It needs one of two kinds of evidence, each a
 *       test paired with an interval for the same effect: the <i>tail</i> (exact tail-exceedance test below α/2
 *       and the p95 ratio's interval above 1 + tolerance), which catches a tail that grew alone, or the
 *       <i>location</i> (one-sided Mann-Whitney test below α/2 and the Hodges-Lehmann shift's interval above
 *       tolerance × base median), which catches the whole distribution slowing down. At n = 50 the p95 ratio's
 *       interval is so wide that a 30 % slowdown of every request often fails the first while plainly passing the
 *       second. Each kind uses α/2 (Bonferroni), so the row's false-alarm rate stays below α;</li>
 *   <li><b>first-token p95 over target</b> (first-token latency only): band of new p95 / target, if more new
 *       requests exceed target × (1 + tolerance) than a p95 at that level allows (binomial test below α);</li>
 *   <li><b>error rate</b>: band of the new error rate, if it is higher than the base's (Fisher's test below α). A
 *       rate that was already as high in the baseline is not a regression of this change.</li>
 * </ul>
 */
public final class SeverityClassifier {

  private final RegressionSettings settings;

  public SeverityClassifier(RegressionSettings settings) {
    this.settings = settings;
  }

  public Severity classify(RegressionEvidence evidence) {
    return Severity.max(p95OverBaseline(evidence),
        Severity.max(firstTokenOverTarget(evidence), errorRate(evidence)));
  }

  private Severity p95OverBaseline(RegressionEvidence evidence) {
    double level = settings.alpha() / 2;
    boolean tail = evidence.tailP() < level && evidence.p95RatioLower() > 1 + settings.tolerance();
    boolean location = evidence.mwuPGreater() < level && evidence.shiftLowerFraction() > settings.tolerance();
    return tail || location ? settings.p95Increase().classifyIncrease(evidence.p95Ratio()) : Severity.NONE;
  }

  private Severity firstTokenOverTarget(RegressionEvidence evidence) {
    return evidence.firstTokenTargetP() < settings.alpha()
        ? settings.firstTokenOverTarget().classifyIncrease(evidence.firstTokenOverTarget())
        : Severity.NONE;
  }

  private Severity errorRate(RegressionEvidence evidence) {
    return evidence.errorP() < settings.alpha()
        ? settings.errorRate().classify(evidence.errorRateNew())
        : Severity.NONE;
  }
}
