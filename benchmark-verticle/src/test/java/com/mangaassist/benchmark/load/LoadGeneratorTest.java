package com.mangaassist.benchmark.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.benchmark.RunningSystem;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a real orchestrator + emulator: a smoke run of seconds that must hold its sockets,
 * get every answer, and report figures that hang together. Speed itself is measured in docs/PERFORMANCE.md.
 */
class LoadGeneratorTest {

  static RunningSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = RunningSystem.start(new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  private static JsonObject load(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LoadCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, () -> "exit code; stderr: " + err.toString(StandardCharsets.UTF_8));
    return new JsonObject(out.toString(StandardCharsets.UTF_8).trim());
  }

  @Test
  void smokeRunHoldsItsSocketsAndReportsConsistentFigures() {
    JsonObject report = load("--url", system.wsUrl(), "--connections", "12", "--rate", "8", "--duration", "4s",
        "--warmup", "1s", "--fresh", "--json");

    JsonObject connections = report.getJsonObject("connections");
    assertEquals(12, connections.getInteger("opened"));
    assertEquals(12, connections.getInteger("held_at_end"));

    JsonObject queries = report.getJsonObject("queries");
    JsonObject results = report.getJsonObject("results");
    // 8/s for 4 s: 32 queries due, the first second's 8 are warm-up
    assertEquals(32, queries.getLong("due"));
    assertEquals(24, queries.getLong("measured"));
    assertEquals(0, results.getLong("errors"), () -> results.encodePrettily());
    assertEquals(24, results.getLong("completed"));
    // fresh questions: nothing may come from a cache, so every answer ran the model and has a server overhead
    assertEquals(24, results.getJsonObject("by_source").getInteger("model"));
    assertEquals(24, results.getJsonObject("server_overhead_ms").getLong("count"));

    JsonObject ttft = results.getJsonObject("client_ttft_ms");
    JsonObject total = results.getJsonObject("client_total_ms");
    JsonObject overhead = results.getJsonObject("server_overhead_ms");
    for (JsonObject h : List.of(ttft, total, overhead, results.getJsonObject("pre_model_ms"))) {
      assertTrue(h.getDouble("p50") <= h.getDouble("p99") && h.getDouble("p99") <= h.getDouble("max"), h::encode);
      assertTrue(h.getDouble("p50") >= 0, h::encode);
    }
    // the client sees the first token before the end, and never sooner than the server's own share of it
    assertTrue(ttft.getDouble("p50") < total.getDouble("p50"), report::encodePrettily);
    assertTrue(ttft.getDouble("max") >= overhead.getDouble("p50"), report::encodePrettily);
    assertTrue(results.getDouble("chunks_per_s") > 0);

    JsonObject server = report.getJsonObject("server");
    assertTrue(server.getDouble("heap_used_mb_max") > 1, server::encode);
    assertTrue(server.containsKey("cpu_mean"), server::encode);
  }

  @Test
  void aMixFileIsAskedAndItsRepeatsComeFromTheCache(@TempDir Path dir) throws Exception {
    Path mix = dir.resolve("mix.jsonl");
    Files.writeString(mix, "{\"text\":\"Tell me about Vinland Saga\",\"weight\":1}\n");
    JsonObject report = load("--url", system.wsUrl(), "--connections", "2", "--rate", "4", "--duration", "3s",
        "--mix", mix.toString(), "--json");
    JsonObject results = report.getJsonObject("results");
    assertEquals(12, results.getLong("completed"), results::encodePrettily);
    // one question over and over: after the first answer the semantic cache serves it
    assertTrue(results.getJsonObject("by_source").getInteger("cache", 0) >= 10, results::encodePrettily);
  }

  @Test
  void badOptionsAreRefusedWithUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LoadCommand.run(List.of("--connections", "3"), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, exit);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--url is required"));
    assertEquals(2, LoadCommand.run(List.of("--url", "http://x/ws"), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream())));
  }
}
