package com.mangaassist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompts are read once, served from memory, and swapped when their files change. */
class PromptLibraryTest {

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    Files.writeString(dir.resolve("active.json"), "{\"version\":\"v1\"}");
    Files.createDirectories(dir.resolve("v1"));
    Files.createDirectories(dir.resolve("v2"));
    Files.writeString(dir.resolve("v1/default.txt"), "default v1\n");
    Files.writeString(dir.resolve("v1/recommendation.txt"), "recommend v1\n");
    Files.writeString(dir.resolve("v2/default.txt"), "default v2\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void servesPerIntentPromptsWithTheDefaultAsFallback() throws Exception {
    PromptLibrary library = load(0);
    assertEquals("v1", library.version());
    assertEquals("recommend v1", library.systemPrompt("recommendation"));
    assertEquals("default v1", library.systemPrompt("greeting"));
  }

  @Test
  void switchingTheActiveVersionIsPickedUpWithoutRestart() throws Exception {
    PromptLibrary library = load(50);
    Files.writeString(dir.resolve("active.json"), "{\"version\":\"v2\"}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!library.version().equals("v2") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals("v2", library.version());
    assertEquals("default v2", library.systemPrompt("recommendation"), "v2 has no recommendation prompt");
    library.close();
  }

  @Test
  void aVersionWithoutPromptsFailsToLoad() throws Exception {
    Files.writeString(dir.resolve("active.json"), "{\"version\":\"v9\"}");
    var result = PromptLibrary.load(vertx, dir, 0).toCompletionStage().toCompletableFuture();
    assertTrue(assertThrowsExecution(result).getMessage().contains("no prompt templates"));
  }

  private PromptLibrary load(long reloadMs) throws Exception {
    return PromptLibrary.load(vertx, dir, reloadMs).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable assertThrowsExecution(java.util.concurrent.CompletableFuture<?> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the load to fail");
  }
}
