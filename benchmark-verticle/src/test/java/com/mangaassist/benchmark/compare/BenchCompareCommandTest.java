package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench compare} on two generated runs whose differences are known. */
class BenchCompareCommandTest {

  /** A Haiku-like intent: first token well inside its 400 ms target. */
  private static final SyntheticRuns HAIKU = new SyntheticRuns(200, 0.3, 900, 0.25, 0);
  /** A Sonnet-like intent: first token inside its 1100 ms target. */
  private static final SyntheticRuns SONNET = new SyntheticRuns(550, 0.3, 2500, 0.25, 0);

  @TempDir
  Path directory;

  private Path baseFile;
  private Path newFile;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void writeRuns() {
    Random random = new Random(5);
    Map<String, IntentSamples> base = new LinkedHashMap<>();
    Map<String, IntentSamples> newer = new LinkedHashMap<>();
    // unchanged
    base.put("greeting", HAIKU.draw(random, 50, 1.0));
    newer.put("greeting", HAIKU.draw(random, 50, 1.0));
    // every latency 1.8 times slower: p95 +80 %, first-token p95 about +60 % over its 1100 ms target
    base.put("recommendation", SONNET.draw(random, 50, 1.0));
    newer.put("recommendation", SONNET.draw(random, 50, 1.8));
    // latencies unchanged, 8 of 50 requests failing (16 %) where none failed
    base.put("faq", HAIKU.draw(random, 50, 1.0));
    IntentSamples faq = HAIKU.draw(random, 42, 1.0);
    newer.put("faq", new IntentSamples(faq.ttftMs(), faq.totalMs(), 8, 50, 5));
    baseFile = directory.resolve("base.json");
    newFile = directory.resolve("new.json");
    new RunFile("ws://127.0.0.1:8080/ws", "2025-01-31T09:00:00Z", base).write(baseFile);
    new RunFile("ws://127.0.0.1:8080/ws", "2025-01-31T09:15:00Z", newer).write(newFile);
  }

  private int run(String... args) {
    return BenchCompareCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonReportsTheKnownSeverities() {
    assertEquals(0, run(baseFile.toString(), newFile.toString(), "--json"));
    JsonArray comparisons = new JsonObject(printed()).getJsonArray("comparisons");
    Map<String, String> severities = new LinkedHashMap<>();
    for (int i = 0; i < comparisons.size(); i++) {
      JsonObject comparison = comparisons.getJsonObject(i);
      severities.put(comparison.getString("intent") + " " + comparison.getString("metric"),
          comparison.getString("severity"));
    }
    assertEquals(Map.of(
        "greeting ttft_ms", "none", "greeting total_ms", "none",
        "recommendation ttft_ms", "SEV-1", "recommendation total_ms", "SEV-1",
        "faq ttft_ms", "SEV-1", "faq total_ms", "SEV-1"), severities);
  }

  @Test
  void jsonHasExactlyTheDocumentedFields() {
    assertEquals(0, run("--json", baseFile.toString(), newFile.toString()));
    JsonObject report = new JsonObject(printed());
    assertEquals(Set.of("comparisons"), report.fieldNames());
    JsonObject recommendation = report.getJsonArray("comparisons").getJsonObject(2);
    assertEquals(Set.of("intent", "metric", "n_base", "n_new", "median_base", "median_new", "p95_base", "p95_new",
        "mwu_u", "mwu_p", "mwu_p_greater", "hl_shift_ms", "hl_ci", "cliffs_delta", "cohens_d", "p95_ratio",
        "p95_ratio_ci", "tail_p", "error_rate_base", "error_rate_new", "error_p", "severity"),
        recommendation.fieldNames());
    assertEquals("recommendation", recommendation.getString("intent"));
    assertEquals(50, recommendation.getInteger("n_new"));
    // a 1.8× slowdown: the shift, its interval and the p95 ratio's interval all sit well above no change
    assertTrue(recommendation.getJsonArray("hl_ci").getDouble(0) > 0);
    assertTrue(recommendation.getJsonArray("p95_ratio_ci").getDouble(0) > 1.05);
    assertTrue(recommendation.getDouble("mwu_p_greater") < 1e-6);
    assertTrue(recommendation.getDouble("cliffs_delta") > 0.5);
  }

  @Test
  void tablePrintsOneRowPerIntentAndMetricWithTildeWhereNothingChanged() {
    assertEquals(0, run(baseFile.toString(), newFile.toString()));
    List<String> lines = printed().lines().toList();
    assertTrue(lines.get(0).startsWith("intent"), lines.get(0));
    String greeting = lines.stream().filter(line -> line.startsWith("greeting") && line.contains("ttft_ms"))
        .findFirst().orElseThrow();
    assertTrue(greeting.contains("~") && greeting.endsWith("none"), greeting);
    String recommendation = lines.stream()
        .filter(line -> line.startsWith("recommendation") && line.contains("total_ms")).findFirst().orElseThrow();
    assertTrue(recommendation.contains("(p=") && recommendation.endsWith("SEV-1"), recommendation);
    String faq = lines.stream().filter(line -> line.startsWith("faq") && line.contains("ttft_ms"))
        .findFirst().orElseThrow();
    assertTrue(faq.contains("0.0% → 16.0%") && faq.endsWith("SEV-1"), faq);
  }

  @Test
  void badUsageAndBadFilesExitWithTwoAndSayWhy() throws Exception {
    assertEquals(2, run(baseFile.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(BenchCompareCommand.USAGE));
    Path broken = Files.writeString(directory.resolve("broken.json"), "{\"version\": 1, \"intents\": {\"faq\": {}}}");
    err.reset();
    assertEquals(2, run(baseFile.toString(), broken.toString()));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(broken + ": intents.faq.count"),
        err.toString(StandardCharsets.UTF_8));
  }
}
