package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random, truncated, wrongly typed, huge and binary frames, and a flood: no crash, no stuck connection,
 * every answer a typed error, and the next valid query still works.
 */
class BadInputTest {

  private static final Set<String> CODES = Set.of("bad_request", "too_large", "rate_limited", "unauthorized");
  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void fuzzedFramesGetTypedErrorsAndTheSocketKeepsWorking() throws Exception {
    Random random = new Random(20261128);
    int sent = 0;
    try (ChatClient client = harness.connect("fuzzer")) {
      client.awaitType("ready");
      for (int batch = 0; batch < 35; batch++) {
        for (int i = 0; i < 60; i++) {
          client.sendRaw(fuzzFrame(random));
          sent++;
        }
        client.sendRaw(new JsonObject().put("action", "ping").encode());
        int pongs = batch + 1;
        // a pong after every batch: the connection is alive and frames are processed in order
        client.await(f -> "pong".equals(f.getString("type")) && countPongs(client) >= pongs);
        Thread.sleep(1_050); // stay under 100 frames per second: this test is about content, not rate
      }
      List<JsonObject> frames = client.frames();
      long errors = frames.stream().filter(f -> "error".equals(f.getString("type"))).count();
      assertEquals(sent, errors, "every bad frame answered by exactly one typed error");
      for (JsonObject frame : frames) {
        String type = frame.getString("type");
        assertTrue(Set.of("ready", "pong", "error", "status", "chunk", "done", "cards").contains(type), "frame " + frame);
        if ("error".equals(type)) {
          assertTrue(CODES.contains(frame.getString("code")), "typed error: " + frame);
        }
      }
      client.query("valid", ChatHarness.fresh("Tell me about Blue Period"));
      List<JsonObject> answer = client.awaitAnswer("valid");
      assertEquals("done", answer.get(answer.size() - 1).getString("type"), "still answering after " + sent + " bad frames");
    }
  }

  @Test
  void aFloodIsRefusedOnceAndDroppedWhileTheServerStaysUp() throws Exception {
    try (ChatClient flooder = harness.connect("flooder"); ChatClient bystander = harness.connect("bystander")) {
      flooder.awaitType("ready");
      bystander.awaitType("ready");
      for (int i = 0; i < 1_000; i++) {
        flooder.send(new JsonObject().put("action", "ping"));
      }
      JsonObject limited = flooder.await(f -> "rate_limited".equals(f.getString("code")));
      assertEquals("error", limited.getString("type"));
      long pongs = flooder.frames().stream().filter(f -> "pong".equals(f.getString("type"))).count();
      assertTrue(pongs <= 100, "the flood beyond 100 messages a second was dropped, pongs: " + pongs);

      bystander.query("b", ChatHarness.fresh("Tell me about Haikyu!!"));
      assertEquals("done", ChatClient.last(bystander.awaitAnswer("b")).getString("type"), "other shoppers are unaffected");
      Thread.sleep(1_100);
      flooder.query("after", ChatHarness.fresh("Tell me about Haikyu!!"));
      assertEquals("done", ChatClient.last(flooder.awaitAnswer("after")).getString("type"), "the flooder recovers next second");
    }
  }

  private static long countPongs(ChatClient client) {
    return client.frames().stream().filter(f -> "pong".equals(f.getString("type"))).count();
  }

  /** One hostile frame: random bytes, truncated JSON, wrong types, unknown actions, huge or deeply nested values. */
  private static String fuzzFrame(Random random) {
    JsonObject valid = new JsonObject().put("action", "query").put("id", "f" + random.nextInt(1000)).put("text", "hi");
    switch (random.nextInt(10)) {
      case 0:
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
      case 1:
        String json = valid.encode();
        return json.substring(0, random.nextInt(json.length()));
      case 2:
        return valid.copy().put("text", random.nextInt()).encode();
      case 3:
        return valid.copy().put("id", new JsonArray().add(1)).encode();
      case 4:
        return new JsonObject().put("action", "x".repeat(random.nextInt(300))).encode();
      case 5:
        return "[" .repeat(1 + random.nextInt(5000));
      case 6:
        return valid.copy().put("text", "x".repeat(4_001 + random.nextInt(5_000))).encode();
      case 7:
        return valid.copy().put("id", "").encode();
      case 8:
        return new JsonObject().put("action", "cancel").put("id", random.nextLong()).encode();
      default:
        return random.nextBoolean() ? "null" : "\"just a string\"";
    }
  }

}
