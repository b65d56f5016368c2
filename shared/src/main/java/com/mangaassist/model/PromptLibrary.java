package com.mangaassist.model;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * System prompts per intent and version, read once from {@code conf/prompts/} and kept in memory: the hot path
 * never touches the disk. Layout: {@code conf/prompts/active.json} ({@code {"version":"v1"}}) and
 * {@code conf/prompts/<version>/<intent>.txt}, with {@code default.txt} for intents without their own file.
 * A periodic check (off the event loop) reloads everything when a file changes.
 */
public final class PromptLibrary {

  private static final Logger LOG = LoggerFactory.getLogger(PromptLibrary.class);

  /** One consistent snapshot: readers never see half a reload. */
  private record Snapshot(String version, Map<String, String> prompts, long fingerprint) {}

  private final Vertx vertx;
  private final Path dir;
  private volatile Snapshot snapshot;
  private long timerId = -1;

  private PromptLibrary(Vertx vertx, Path dir, Snapshot snapshot) {
    this.vertx = vertx;
    this.dir = dir;
    this.snapshot = snapshot;
  }

  /** Loads the active version off the event loop and, when {@code reloadIntervalMs > 0}, watches for changes. */
  public static Future<PromptLibrary> load(Vertx vertx, Path dir, long reloadIntervalMs) {
    return vertx.executeBlocking(() -> read(dir)).map(snapshot -> {
      PromptLibrary library = new PromptLibrary(vertx, dir, snapshot);
      if (reloadIntervalMs > 0) {
        library.timerId = vertx.setPeriodic(reloadIntervalMs, id -> library.reloadIfChanged());
      }
      LOG.info("prompt templates {} loaded: {}", snapshot.version(), snapshot.prompts().keySet());
      return library;
    });
  }

  public String version() {
    return snapshot.version();
  }

  /**
   * The file the active version's prompt for {@code intent} comes from (its {@code default} when it has none of its
   * own). Only the with/without benchmark reads it per turn, to measure what pre-loading saves.
   */
  public Path templateFile(String intent) {
    Snapshot current = snapshot;
    String name = current.prompts().containsKey(intent) ? intent : "default";
    return dir.resolve(current.version()).resolve(name + ".txt");
  }

  /** The system prompt for an intent, falling back to the version's {@code default} prompt. */
  public String systemPrompt(String intent) {
    Map<String, String> prompts = snapshot.prompts();
    String prompt = prompts.get(intent);
    return prompt != null ? prompt : prompts.getOrDefault("default", "");
  }

  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void reloadIfChanged() {
    vertx.executeBlocking(() -> fingerprint(dir)).onSuccess(fingerprint -> {
      if (fingerprint != snapshot.fingerprint()) {
        vertx.executeBlocking(() -> read(dir)).onSuccess(fresh -> {
          snapshot = fresh;
          LOG.info("prompt templates reloaded: version {}", fresh.version());
        }).onFailure(e -> LOG.warn("prompt reload failed, keeping version {}: {}", snapshot.version(), e.getMessage()));
      }
    });
  }

  /**
   * Serves {@code version} from now on (a rollback), until {@code active.json} itself changes; fails, keeping the
   * current version, when that version has no prompts.
   */
  public Future<Void> activate(String version) {
    return vertx.executeBlocking(() -> read(dir, version)).onSuccess(fresh -> {
      snapshot = fresh;
      LOG.info("prompt templates switched to version {}", version);
    }).mapEmpty();
  }

  private static Snapshot read(Path dir) throws IOException {
    Path active = dir.resolve("active.json");
    String version = Files.exists(active)
        ? new JsonObject(Files.readString(active, StandardCharsets.UTF_8)).getString("version", "v1")
        : "v1";
    return read(dir, version);
  }

  private static Snapshot read(Path dir, String version) throws IOException {
    long fingerprint = fingerprint(dir);
    Map<String, String> prompts = new HashMap<>();
    Path versionDir = dir.resolve(version);
    if (Files.isDirectory(versionDir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(versionDir, "*.txt")) {
        for (Path file : files) {
          String intent = file.getFileName().toString().replaceFirst("\\.txt$", "");
          prompts.put(intent, Files.readString(file, StandardCharsets.UTF_8).strip());
        }
      }
    }
    if (prompts.isEmpty()) {
      throw new IOException("no prompt templates under " + versionDir);
    }
    return new Snapshot(version, Map.copyOf(prompts), fingerprint);
  }

  /** Sum of sizes and modification times of every file: cheap and changes with any edit. */
  private static long fingerprint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f) + f.toString().hashCode();
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }
}
