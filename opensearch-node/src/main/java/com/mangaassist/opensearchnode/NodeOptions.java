package com.mangaassist.opensearchnode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * How to run one local OpenSearch node.
 *
 * @param assembly the node laid out by this module's build ({@code opensearch-node/target/opensearch-VERSION})
 * @param dataDir where the node keeps its index, logs and configuration; null for a temporary directory that is
 *     deleted when the node stops
 * @param httpPort the REST port; 0 picks a free one (tests, so they never meet a node somebody else started)
 * @param heap the JVM heap ({@code -Xms} = {@code -Xmx})
 * @param startTimeout how long to wait for the node to answer before giving up and stopping it
 * @param inheritOutput whether the node's console output goes to ours (the command) or to {@code logs/console.log}
 */
public record NodeOptions(
    Path assembly, Path dataDir, int httpPort, String heap, Duration startTimeout, boolean inheritOutput) {

  public static final int DEFAULT_HTTP_PORT = 9200;

  /** The assembled node of this installation, a temporary data directory, port 9200, 512 MiB of heap. */
  public static NodeOptions defaults() {
    return new NodeOptions(defaultAssembly(), null, DEFAULT_HTTP_PORT, "512m", Duration.ofSeconds(120), false);
  }

  public NodeOptions withDataDir(Path dir) {
    return new NodeOptions(assembly, dir, httpPort, heap, startTimeout, inheritOutput);
  }

  public NodeOptions withHttpPort(int port) {
    return new NodeOptions(assembly, dataDir, port, heap, startTimeout, inheritOutput);
  }

  public NodeOptions withInheritedOutput() {
    return new NodeOptions(assembly, dataDir, httpPort, heap, startTimeout, true);
  }

  /** The OpenSearch version this build assembled. */
  public static String openSearchVersion() {
    return buildProperties().getProperty("opensearch.version");
  }

  /**
   * {@code -Dmangaassist.opensearch.assembly}, else the build's layout under the installation directory
   * ({@code -Dmangaassist.home}, {@code MANGAASSIST_HOME}, else the working directory), as the other roles find conf/.
   */
  static Path defaultAssembly() {
    String explicit = System.getProperty("mangaassist.opensearch.assembly");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String home = System.getProperty("mangaassist.home");
    if (home == null || home.isBlank()) {
      home = System.getenv().getOrDefault("MANGAASSIST_HOME", ".");
    }
    return Path.of(home).resolve(buildProperties().getProperty("assembly")).toAbsolutePath().normalize();
  }

  private static Properties buildProperties() {
    Properties properties = new Properties();
    try (InputStream in = NodeOptions.class.getResourceAsStream("node.properties")) {
      if (in == null) {
        throw new IllegalStateException("node.properties missing from the opensearch-node jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}
