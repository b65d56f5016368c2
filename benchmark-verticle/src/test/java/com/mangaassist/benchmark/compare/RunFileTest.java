package com.mangaassist.benchmark.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunFileTest {

  @TempDir
  Path directory;

  private static JsonObject valid() {
    return new JsonObject("""
        {"version": 1, "target": "ws://127.0.0.1:8080/ws", "started": "2025-01-31T09:15:00Z",
         "intents": {
           "recommendation": {"ttft_ms": [412.5, 380, 455.25], "total_ms": [2210, 1990.5], "errors": 1,
                              "count": 3, "warmup_discarded": 5},
           "faq": {"ttft_ms": [120], "total_ms": [640], "errors": 0, "count": 1, "warmup_discarded": 5}}}
        """);
  }

  @Test
  void writesWhatItReads() {
    RunFile run = RunFile.fromJson(valid(), "run.json");
    Path file = directory.resolve("run.json");
    run.write(file);
    RunFile back = RunFile.read(file);
    assertEquals("ws://127.0.0.1:8080/ws", back.target());
    assertEquals("2025-01-31T09:15:00Z", back.started());
    assertEquals(List.of("recommendation", "faq"), List.copyOf(back.intents().keySet()));
    IntentSamples recommendation = back.intents().get("recommendation");
    assertArrayEquals(new double[] {412.5, 380, 455.25}, recommendation.ttftMs());
    assertArrayEquals(new double[] {2210, 1990.5}, recommendation.totalMs());
    assertEquals(1, recommendation.errors());
    assertEquals(3, recommendation.count());
    assertEquals(5, recommendation.warmupDiscarded());
    assertEquals(1.0 / 3, recommendation.errorRate());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "version 2           | /version                              | 2         | version 2 is not supported",
      "no intents          | /intents                              | {}        | intents: expected an object with at least one intent",
      "intent not object   | /intents/faq                          | 3         | intents.faq: expected an object",
      "latency a string    | /intents/faq/ttft_ms                  | [\"12\"]  | intents.faq.ttft_ms[0]: expected a non-negative number",
      "negative latency    | /intents/recommendation/total_ms      | [5, -1]   | intents.recommendation.total_ms[1]: expected a non-negative number",
      "latencies missing   | /intents/faq/total_ms                 | null      | intents.faq.total_ms: expected an array",
      "too many latencies  | /intents/faq/ttft_ms                  | [1, 2]    | intents.faq.ttft_ms: 2 latencies but only 1 measured requests",
      "errors over count   | /intents/faq/errors                   | 2         | intents.faq.errors: 2 errors of 1 requests",
      "fractional count    | /intents/faq/count                    | 1.5       | intents.faq.count: expected a non-negative integer",
      "no measured request | /intents/faq/count                    | 0         | intents.faq.count: no measured requests",
      "target not string   | /target                               | 8080      | target: expected a string"})
  void refusesABadFileSayingWhereItIsBad(String name, String pointer, String value, String message) {
    JsonObject json = valid();
    String[] path = pointer.substring(1).split("/");
    JsonObject parent = json;
    for (int i = 0; i < path.length - 1; i++) {
      parent = parent.getJsonObject(path[i]);
    }
    parent.put(path[path.length - 1], jsonValue(value));
    InvalidRunFileException error = assertThrows(InvalidRunFileException.class, () -> RunFile.fromJson(json, "run.json"));
    assertTrue(error.getMessage().startsWith("run.json: "), error.getMessage());
    assertTrue(error.getMessage().contains(message), error.getMessage());
  }

  @Test
  void refusesAFileThatIsNotJson() throws IOException {
    Path file = Files.writeString(directory.resolve("broken.json"), "{\"version\": 1, \"intents\": ");
    InvalidRunFileException error = assertThrows(InvalidRunFileException.class, () -> RunFile.read(file));
    assertTrue(error.getMessage().startsWith(file + ": not a JSON object"), error.getMessage());
  }

  @Test
  void refusesAMissingFile() {
    Path file = directory.resolve("absent.json");
    InvalidRunFileException error = assertThrows(InvalidRunFileException.class, () -> RunFile.read(file));
    assertTrue(error.getMessage().startsWith(file + ": cannot read"), error.getMessage());
  }

  /** A JSON value from its text, null included. */
  private static Object jsonValue(String text) {
    return new JsonObject("{\"v\": " + text + "}").getValue("v");
  }
}
