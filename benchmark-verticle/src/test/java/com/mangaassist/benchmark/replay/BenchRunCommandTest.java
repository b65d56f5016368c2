package com.mangaassist.benchmark.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.RunningSystem;
import com.mangaassist.benchmark.compare.IntentSamples;
import com.mangaassist.benchmark.compare.RunFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench run} against a real orchestrator + emulator, as a user runs it. */
class BenchRunCommandTest {

  static RunningSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = RunningSystem.start(new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void writesARunFileThatBenchCompareReadsWithWarmUpDiscardedAndEveryQuestionFresh(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("run.json");
    Path html = dir.resolve("report.html");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int exit = BenchRunCommand.run(List.of("--url", system.wsUrl(), "--per-intent", "6", "--warmup", "2",
            "--sockets", "2", "--intents", "faq,recommendation", "--seed", "7", "--out", out.toString(), "--html", html.toString()),
        new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, () -> "stderr: " + stderr.toString(StandardCharsets.UTF_8));

    RunFile run = RunFile.read(out);
    assertEquals(system.wsUrl(), run.target());
    assertEquals(Set.of("faq", "recommendation"), run.intents().keySet());
    for (IntentSamples samples : run.intents().values()) {
      assertEquals(6, samples.count());
      assertEquals(2, samples.warmupDiscarded());
      assertEquals(0, samples.errors());
      assertEquals(6, samples.ttftMs().length);
      assertEquals(6, samples.totalMs().length);
      for (int i = 0; i < 6; i++) {
        assertTrue(samples.ttftMs()[i] > 0 && samples.ttftMs()[i] <= samples.totalMs()[i]);
      }
    }

    JsonObject json = new JsonObject(Files.readString(out));
    assertEquals("1", json.getJsonObject("versions").getString("routing"));
    assertNotNull(json.getJsonObject("versions").getString("prompt"));
    JsonArray queries = json.getJsonObject("intents").getJsonObject("faq").getJsonArray("queries");
    assertEquals(6, queries.size());
    Set<String> texts = new HashSet<>();
    for (Object query : queries) {
      JsonObject detail = (JsonObject) query;
      texts.add(detail.getString("text"));
      assertNotNull(detail.getString("source"));
    }
    assertEquals(6, texts.size(), "each question is asked once");
    String report = Files.readString(html);
    assertTrue(report.startsWith("<!DOCTYPE html>") && report.contains("<h2>faq</h2>")
        && report.contains("<h2>recommendation</h2>"), report);
    assertEquals(2, report.split("<svg ", -1).length - 1, "one CDF per intent");
    assertTrue(!report.contains("<script") && !report.contains("src=\"http") && !report.contains("href=\"http"),
        "self-contained: nothing fetched, nothing run");
    // the progress bar counted every question, warm-up included
    assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("16/16"), stderr::toString);
  }
}
