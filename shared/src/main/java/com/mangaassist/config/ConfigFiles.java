package com.mangaassist.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the per-role JSON files under {@code conf/} and applies environment overrides.
 * Called at startup, before any verticle runs: blocking file reads are fine there.
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  /** The installation directory: {@code -Dmangaassist.home}, {@code MANGAASSIST_HOME}, else the working directory. */
  public static Path home() {
    String prop = System.getProperty("mangaassist.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String env = System.getenv("MANGAASSIST_HOME");
    return Path.of(env != null && !env.isBlank() ? env : ".").toAbsolutePath().normalize();
  }

  public static Path confDir() {
    return home().resolve("conf");
  }

  /** {@code conf/NAME.json}, or an empty object when the file does not exist. */
  public static JsonObject read(String name) {
    Path file = confDir().resolve(name + ".json");
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The configuration of every role, with {@link EnvOverrides} applied from the process environment. */
  public static JsonObject load() {
    return load(System.getenv());
  }

  public static JsonObject load(Map<String, String> env) {
    JsonObject all = new JsonObject()
        .put("orchestrator", read("orchestrator"))
        .put("emulator", read("emulator"))
        .put("model", read("model"))
        .put("routing", read("routing"))
        .put("redis", read("redis"))
        .put("retrieval", read("retrieval"))
        .put("cache", read("cache"))
        .put("precompute", read("precompute"))
        .put("benchmark", read("benchmark"))
        .put("cluster", read("cluster"));
    return EnvOverrides.apply(all, env);
  }
}
