package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersistenceGateTest {

  @ParameterizedTest(name = "{0} consecutive runs required: {1} → {2}")
  @CsvSource({
      // the seed table's actions (SEV-3 log, SEV-2 page, SEV-1 rollback) once confirmed, "log" before
      "2, NONE, none",
      "2, SEV_3 SEV_3 SEV_3, log log log",
      "2, SEV_2, log",
      "2, SEV_2 SEV_2, log page",
      "2, SEV_1 SEV_1, log rollback",
      "2, SEV_1 SEV_1 SEV_1, log rollback rollback",
      // the mildest severity of the confirming runs decides: a rollback never rests on one run
      "2, SEV_2 SEV_1, log page",
      "2, SEV_1 SEV_2, log page",
      "2, SEV_1 SEV_2 SEV_1 SEV_1, log page page rollback",
      // anything milder than SEV-2 breaks the streak
      "2, SEV_2 NONE SEV_2, log none log",
      "2, SEV_2 SEV_3 SEV_2 SEV_2, log log log page",
      "3, SEV_2 SEV_2 SEV_2, log log page",
      "3, SEV_1 SEV_1 SEV_2 SEV_1, log log page page",
      "1, SEV_1, rollback",
      "1, SEV_2 SEV_3, page log"})
  void actionsOfOneIntentAndMetricRunByRun(int requiredRuns, String severities, String expectedActions) {
    PersistenceGate gate = new PersistenceGate(requiredRuns);
    List<String> actions = new ArrayList<>();
    for (String severity : severities.split(" ")) {
      Finding finding = new Finding("recommendation", Metric.TTFT_MS, Severity.valueOf(severity));
      actions.add(gate.record(List.of(finding)).get(0).action().label());
    }
    assertEquals(Arrays.asList(expectedActions.split(" ")), actions);
  }

  @Test
  void intentsAndMetricsKeepSeparateStreaks() {
    PersistenceGate gate = new PersistenceGate(2);
    gate.record(List.of(
        new Finding("faq", Metric.TTFT_MS, Severity.SEV_2),
        new Finding("faq", Metric.TOTAL_MS, Severity.NONE)));
    List<Decision> second = gate.record(List.of(
        new Finding("faq", Metric.TTFT_MS, Severity.SEV_2),
        new Finding("faq", Metric.TOTAL_MS, Severity.SEV_2),
        new Finding("greeting", Metric.TTFT_MS, Severity.SEV_1)));
    assertEquals(List.of(Action.PAGE, Action.LOG, Action.LOG), second.stream().map(Decision::action).toList());
    assertEquals(List.of(2, 1, 1), second.stream().map(Decision::consecutiveRuns).toList());
  }

  @Test
  void aRunWithoutTheFindingBreaksItsStreak() {
    PersistenceGate gate = new PersistenceGate(2);
    gate.record(List.of(new Finding("faq", Metric.TTFT_MS, Severity.SEV_1)));
    gate.record(List.of(new Finding("greeting", Metric.TTFT_MS, Severity.NONE)));
    Decision decision = gate.record(List.of(new Finding("faq", Metric.TTFT_MS, Severity.SEV_1))).get(0);
    assertEquals(Action.LOG, decision.action());
    assertEquals(1, decision.consecutiveRuns());
  }
}
