package com.mangaassist.launcher;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository's own files, as the deployment and monitoring tests read them. */
final class RepoFiles {

  /** The repository root: {@code mangaassist.home} (set by the build), else the parent of the module directory. */
  static final Path ROOT = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  private RepoFiles() {}

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }

  /** A YAML document as maps and lists (safe constructor: no arbitrary types; merge keys {@code <<} resolved). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String relative) {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(text(relative));
  }

  static JsonObject json(String relative) {
    return new JsonObject(text(relative));
  }
}
