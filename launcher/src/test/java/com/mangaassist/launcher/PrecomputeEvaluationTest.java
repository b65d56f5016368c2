package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator replays a tiny trace through its own in-process system (real Redis at REDIS_URL). */
class PrecomputeEvaluationTest {

  @TempDir
  Path dir;

  @Test
  void aTinyTraceReplayedInProcessHasHitsAndNothingServedWrong() throws Exception {
    Path trace = dir.resolve("trace.jsonl");
    Files.writeString(trace, String.join("\n",
        "{\"session\":\"a\",\"turns\":[{\"text\":\"Tell me about Vagabond\",\"pause_ms\":3000},"
            + "{\"text\":\"Where can I buy it?\",\"expect\":{\"titleId\":\"vagabond\",\"intent\":\"purchase\"}}]}",
        "{\"session\":\"b\",\"turns\":[{\"text\":\"Tell me about Monster\",\"pause_ms\":3000},"
            + "{\"text\":\"Where can I buy it?\",\"expect\":{\"titleId\":\"monster\",\"intent\":\"purchase\"}}]}",
        "{\"session\":\"c\",\"turns\":[{\"text\":\"Tell me about Berserk\",\"pause_ms\":3000},"
            + "{\"text\":\"Do you ship to Canada?\",\"expect\":{\"intent\":\"faq\"},\"pause_ms\":500},"
            + "{\"text\":\"Tell me about Pluto\",\"expect\":{\"titleId\":\"pluto\",\"intent\":\"product_info\"}}]}",
        ""));
    List<PrecomputeEvaluation.TraceSession> sessions = PrecomputeEvaluation.readTrace(trace);
    assertEquals(3, sessions.size());

    // priors only: transition counts other runs left in the shared Redis must not change the predictions
    JsonObject report = PrecomputeEvaluation.evaluateInProcess(sessions, 1.0, 3,
        new JsonObject().put("precompute", new JsonObject().put("priorWeight", 1e9)));

    assertEquals(0, report.getInteger("errors"), report.encodePrettily());
    assertEquals(4, report.getInteger("follow_ups"));
    assertTrue(report.getDouble("hit_rate") > 0, report.encodePrettily());
    assertEquals(0, report.getInteger("wrong_served"), report.encodePrettily());
    assertTrue(report.getInteger("suggestions_offered") > 0, report.encodePrettily());
    assertTrue(report.getInteger("suggestions_asked") >= 1, "a served follow-up used an offered suggestion: "
        + report.encodePrettily());
    assertEquals(report.getInteger("suggestions_offered") - report.getInteger("suggestions_asked"),
        report.getInteger("suggestions_wasted"));
    // first turns come from the model or, when an earlier run left them in the shared Redis, from the cache
    JsonObject bySource = report.getJsonObject("total_ms_by_source");
    assertTrue(bySource.containsKey("precomputed"), report.encodePrettily());
    assertTrue(bySource.containsKey("model") || bySource.containsKey("cache"), report.encodePrettily());
  }

  @Test
  void aServedAnswerIsWrongWhenItsTitleOrIntentDiffersFromTheTrace() {
    JsonObject served = new JsonObject().put("intent", "purchase")
        .put("entities", new JsonArray().add(new JsonObject().put("titleId", "monster").put("title", "Monster")));
    assertFalse(PrecomputeEvaluation.wrongServed(served, new JsonObject().put("titleId", "monster").put("intent", "purchase")));
    assertTrue(PrecomputeEvaluation.wrongServed(served, new JsonObject().put("titleId", "pluto").put("intent", "purchase")));
    assertTrue(PrecomputeEvaluation.wrongServed(served, new JsonObject().put("titleId", "monster").put("intent", "availability")));
    assertTrue(PrecomputeEvaluation.wrongServed(served, new JsonObject().put("intent", "faq")));
  }
}
