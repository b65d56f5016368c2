package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionSettingsTest {

  @Test
  void theShippedConfFileStatesTheDefaultsAndTheSonnetTargets() {
    RegressionSettings shipped = RegressionSettings.load();
    RegressionSettings defaults = RegressionSettings.defaults();
    // conf/benchmark.json repeats every default, so what users read there is what runs without it
    assertEquals(defaults.alpha(), shipped.alpha());
    assertEquals(defaults.confidence(), shipped.confidence());
    assertEquals(defaults.tolerance(), shipped.tolerance());
    assertEquals(defaults.bootstrapResamples(), shipped.bootstrapResamples());
    assertEquals(defaults.bootstrapSeed(), shipped.bootstrapSeed());
    assertEquals(defaults.p95Increase(), shipped.p95Increase());
    assertEquals(defaults.firstTokenOverTarget(), shipped.firstTokenOverTarget());
    assertEquals(defaults.errorRate(), shipped.errorRate());
    assertEquals(defaults.defaultFirstTokenTargetMs(), shipped.defaultFirstTokenTargetMs());
    assertEquals(defaults.persistenceRuns(), shipped.persistenceRuns());
    // seed design: first token under 400 ms on Haiku, 1100 ms on Sonnet (conf/routing.json routes these to Sonnet)
    assertEquals(400, shipped.firstTokenTargetMs("greeting"));
    assertEquals(1100, shipped.firstTokenTargetMs("recommendation"));
  }

  @Test
  void readsEveryKeyAndFallsBackToTheDefaultTarget() {
    RegressionSettings settings = RegressionSettings.fromJson(new JsonObject()
        .put("alpha", 0.01)
        .put("confidence", 0.98)
        .put("tolerance", 0.25)
        .put("bootstrapResamples", 500)
        .put("bootstrapSeed", 7)
        .put("p95IncreaseBands", new JsonArray().add(0.2).add(0.4).add(0.8))
        .put("firstTokenOverTargetBands", new JsonArray().add(0.1).add(0.2).add(0.3))
        .put("errorRateBands", new JsonArray().add(0.02).add(0.05).add(0.2))
        .put("firstTokenTargetMs", new JsonObject().put("default", 300).put("faq", 250))
        .put("persistenceRuns", 3));
    assertEquals(new RegressionSettings(0.01, 0.98, 0.25, 500, 7, new SeverityBands(0.2, 0.4, 0.8),
        new SeverityBands(0.1, 0.2, 0.3), new SeverityBands(0.02, 0.05, 0.2), 300, Map.of("faq", 250.0), 3), settings);
    assertEquals(250, settings.firstTokenTargetMs("faq"));
    assertEquals(300, settings.firstTokenTargetMs("greeting"));
  }

  @Test
  void refusesBandsOutOfOrderAndLevelsOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> RegressionSettings.fromJson(
        new JsonObject().put("p95IncreaseBands", new JsonArray().add(0.5).add(0.25).add(0.1))));
    assertThrows(IllegalArgumentException.class, () -> RegressionSettings.fromJson(
        new JsonObject().put("errorRateBands", new JsonArray().add(0.01).add(0.03))));
    assertThrows(IllegalArgumentException.class, () -> RegressionSettings.fromJson(new JsonObject().put("alpha", 5)));
  }
}
