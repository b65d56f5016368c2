package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seed design's severity table, edge by edge, and the gates a row must pass (α 0.05, tolerance 0.05). */
class SeverityClassifierTest {

  private final SeverityClassifier classifier = new SeverityClassifier(
      RegressionSettings.fromJson(new JsonObject().put("alpha", 0.05).put("tolerance", 0.05)));

  @ParameterizedTest(name = "p95 ×{0} (CI low {1}), tail p {2}; MWU p {3}, shift low {4} → {5}")
  @CsvSource({
      // seed table, p95 over baseline: +10–25 % SEV-3, +25–50 % SEV-2, > +50 % SEV-1 (each band strictly above)
      "1.08, 1.06, 0.001, 0.001, 0.06, NONE",
      "1.10, 1.06, 0.001, 0.001, 0.06, NONE",
      "1.15, 1.06, 0.001, 0.001, 0.06, SEV_3",
      "1.25, 1.06, 0.001, 0.001, 0.06, SEV_3",
      "1.30, 1.06, 0.001, 0.001, 0.06, SEV_2",
      "1.50, 1.06, 0.001, 0.001, 0.06, SEV_2",
      "1.51, 1.06, 0.001, 0.001, 0.06, SEV_1",
      "3.00, 2.00, 0.001, 0.001, 0.90, SEV_1",
      // tail evidence alone: tail test below α/2 = 0.025 and the p95 ratio's lower bound above 1 + tolerance
      "1.80, 1.20, 0.020, 0.600, 0.00, SEV_1",
      "1.80, 1.20, 0.030, 0.600, 0.00, NONE",
      "1.80, 1.05, 0.00001, 0.600, 0.00, NONE",
      // location evidence alone: Mann-Whitney below α/2 and the shift's lower bound above tolerance × base median
      "1.80, 0.90, 0.600, 0.020, 0.06, SEV_1",
      "1.80, 0.90, 0.600, 0.030, 0.06, NONE",
      "1.80, 0.90, 0.600, 0.00001, 0.05, NONE",
      // a test and the other kind's interval do not add up to evidence
      "1.80, 1.20, 0.600, 0.00001, 0.00, NONE",
      "1.80, 0.90, 0.00001, 0.600, 0.20, NONE",
      // faster is never a regression
      "0.60, 0.50, 0.00001, 0.00001, -0.3, NONE",
      // nothing computed (no samples on one side)
      "NaN, NaN, NaN, NaN, NaN, NONE"})
  void p95OverBaseline(double ratio, double ratioLower, double tailP, double mwuPGreater, double shiftLower,
      Severity expected) {
    assertEquals(expected, classifier.classify(
        new RegressionEvidence(ratio, ratioLower, tailP, mwuPGreater, shiftLower, Double.NaN, Double.NaN, 0, 1)));
  }

  @ParameterizedTest(name = "first-token p95 at {0} × target, binomial p {1} → {2}")
  @CsvSource({
      // seed table, first-token p95 over target: +15–30 % SEV-3, +30–60 % SEV-2, > +60 % SEV-1
      "0.90, 0.0001, NONE",
      "1.15, 0.0001, NONE",
      "1.20, 0.0001, SEV_3",
      "1.30, 0.0001, SEV_3",
      "1.45, 0.0001, SEV_2",
      "1.60, 0.0001, SEV_2",
      "1.61, 0.0001, SEV_1",
      // not significantly above target × (1 + tolerance): no verdict
      "1.61, 0.2, NONE",
      "NaN, NaN, NONE"})
  void firstTokenOverTarget(double overTarget, double targetP, Severity expected) {
    assertEquals(expected, classifier.classify(
        new RegressionEvidence(Double.NaN, Double.NaN, 1, 1, Double.NaN, overTarget, targetP, 0, 1)));
  }

  @ParameterizedTest(name = "error rate {0}, Fisher p {1} → {2}")
  @CsvSource({
      // seed table, error rate: 1–3 % SEV-3, 3–10 % SEV-2, > 10 % SEV-1
      "0.005, 0.001, NONE",
      "0.01, 0.001, NONE",
      "0.02, 0.001, SEV_3",
      "0.03, 0.001, SEV_3",
      "0.05, 0.001, SEV_2",
      "0.10, 0.001, SEV_2",
      "0.12, 0.001, SEV_1",
      // not higher than the baseline's: no verdict, however high
      "0.12, 0.3, NONE"})
  void errorRate(double errorRate, double errorP, Severity expected) {
    assertEquals(expected, classifier.classify(
        new RegressionEvidence(Double.NaN, Double.NaN, 1, 1, Double.NaN, Double.NaN, Double.NaN, errorRate, errorP)));
  }

  @ParameterizedTest(name = "p95 ×{0}, first token {1} × target, errors {2} → {3}")
  @CsvSource({
      "1.15, 1.00, 0.00, SEV_3",
      "1.15, 1.45, 0.00, SEV_2",
      "1.15, 1.00, 0.12, SEV_1",
      "1.00, 1.20, 0.05, SEV_2"})
  void theWorstRowDecides(double ratio, double overTarget, double errorRate, Severity expected) {
    assertEquals(expected, classifier.classify(
        new RegressionEvidence(ratio, 1.06, 0.001, 0.001, 0.06, overTarget, 0.001, errorRate, 0.001)));
  }
}
