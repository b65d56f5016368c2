package com.mangaassist.benchmark.compare;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A whole comparison of two runs.
 *
 * @param comparisons one per intent present in both runs and metric
 * @param unmatchedIntents intents only one of the runs measured, which cannot be compared
 */
public record RunComparison(List<MetricComparison> comparisons, List<String> unmatchedIntents) {

  public RunComparison {
    comparisons = List.copyOf(comparisons);
    unmatchedIntents = List.copyOf(unmatchedIntents);
  }

  /** {@code {"comparisons": [...]}}, the format of {@code bench compare --json}. */
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    comparisons.forEach(comparison -> array.add(comparison.toJson()));
    return new JsonObject().put("comparisons", array);
  }
}
