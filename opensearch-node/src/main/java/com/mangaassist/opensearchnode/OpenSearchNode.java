package com.mangaassist.opensearchnode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node OpenSearch with the k-NN plugin, in a JVM of its own, on 127.0.0.1. {@link #start} blocks until
 * the node answers (about 20 s); {@link #close} stops exactly the process it started, by its PID, and deletes a
 * temporary data directory. A JVM shutdown hook does the same if the owner never calls {@code close} (Ctrl-C, a test
 * JVM that dies).
 *
 * <p>Layout of the node's directory: {@code home/} (a private copy of the assembly, so a rebuild cannot swap jars
 * under a running node and an unprivileged account can read it wherever the checkout lies), {@code config/},
 * {@code data/}, {@code logs/} (with {@code console.log} unless the output is inherited) and {@code tmp/}.
 */
public final class OpenSearchNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchNode.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Process process;
  private final Path nodeDir;
  private final boolean temporary;
  private final int httpPort;
  private final long startedNanos;
  private final Thread stopOnExit;
  private Duration startTime;
  private boolean closed;

  private OpenSearchNode(Process process, Path nodeDir, boolean temporary, int httpPort, long startedNanos) {
    this.process = process;
    this.nodeDir = nodeDir;
    this.temporary = temporary;
    this.httpPort = httpPort;
    this.startedNanos = startedNanos;
    this.stopOnExit = new Thread(this::close, "opensearch-node-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /** Lays out, starts and waits for a node; on any failure the process is stopped and the error thrown. */
  public static OpenSearchNode start(NodeOptions options) throws IOException, InterruptedException {
    if (!Files.isExecutable(options.assembly().resolve("bin/opensearch"))) {
      throw new IOException("no assembled OpenSearch at " + options.assembly()
          + ": build it with mvn -pl opensearch-node package (bin/mangaassist builds it when needed)");
    }
    long started = System.nanoTime();
    boolean temporary = options.dataDir() == null;
    Path nodeDir = temporary ? Files.createTempDirectory("mangaassist-opensearch-")
        : options.dataDir().toAbsolutePath();
    int port = options.httpPort() == 0 ? freePort() : options.httpPort();
    NodeUser user = NodeUser.forCurrentProcess();
    layOut(options, nodeDir);
    user.prepare(nodeDir);

    ProcessBuilder builder = new ProcessBuilder(user.wrap(command(nodeDir, port))).directory(nodeDir.toFile());
    builder.environment().put("OPENSEARCH_JAVA_HOME", javaHome());
    builder.environment().put("OPENSEARCH_PATH_CONF", nodeDir.resolve("config").toString());
    builder.environment().put("OPENSEARCH_TMPDIR", nodeDir.resolve("tmp").toString());
    builder.environment().remove("JAVA_TOOL_OPTIONS"); // a debugger or agent meant for us must not attach to the node
    Path console = nodeDir.resolve("logs/console.log");
    if (options.inheritOutput()) {
      builder.inheritIO();
    } else {
      builder.redirectErrorStream(true).redirectOutput(console.toFile());
    }
    LOG.info("starting OpenSearch {} on 127.0.0.1:{}{} in {}", NodeOptions.openSearchVersion(), port,
        user.switchesUser() ? " as user " + NodeUser.ACCOUNT : "", nodeDir);
    OpenSearchNode node = new OpenSearchNode(builder.start(), nodeDir, temporary, port, started);
    try {
      node.awaitHealthy(options.startTimeout(), console);
    } catch (IOException | InterruptedException | RuntimeException e) {
      node.close();
      throw e;
    }
    LOG.info("OpenSearch answered on {} after {} ms (pid {})", node.url(), node.startTime().toMillis(), node.pid());
    return node;
  }

  /** {@code http://127.0.0.1:PORT}, what {@code OPENSEARCH_URL} is set to. */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** From {@link #start} to the node's first healthy answer. */
  public Duration startTime() {
    return startTime;
  }

  private void answered() {
    startTime = Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Blocks until the node process ends (the command waits here until Ctrl-C). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  /** Stops the node (SIGTERM, then SIGKILL after 30 s) and deletes its directory if it was temporary. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // we are the hook, or the JVM is exiting anyway
    }
    if (temporary) {
      deleteTree(nodeDir);
    }
  }

  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("OpenSearch (pid {}) did not stop within {} s, killing it", process.pid(), STOP_GRACE.toSeconds());
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitHealthy(Duration timeout, Path console) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest
        .newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("OpenSearch exited with status " + process.exitValue() + " before answering"
            + consoleTail(console));
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          answered();
          return;
        }
      } catch (ConnectException | java.net.http.HttpTimeoutException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IOException("OpenSearch did not answer within " + timeout.toSeconds() + " s" + consoleTail(console));
  }

  private static List<String> command(Path nodeDir, int port) {
    List<String> command = new ArrayList<>();
    command.add(nodeDir.resolve("home/bin/opensearch").toString());
    for (String setting : List.of(
        "cluster.name=mangaassist-local",
        "node.name=mangaassist-local",
        "discovery.type=single-node",
        "network.host=127.0.0.1",
        "http.port=" + port,
        "path.data=" + nodeDir.resolve("data"),
        "path.logs=" + nodeDir.resolve("logs"),
        // a nearly full disk (seen on these machines) must not turn the catalog index read-only
        "cluster.routing.allocation.disk.threshold_enabled=false")) {
      command.add("-E" + setting);
    }
    return command;
  }

  /** The node's directory: a fresh copy of the assembly and its config, with data and logs kept if they exist. */
  private static void layOut(NodeOptions options, Path nodeDir) throws IOException {
    Path home = nodeDir.resolve("home");
    deleteTree(home);
    copyTree(options.assembly(), home);
    Path config = nodeDir.resolve("config");
    deleteTree(config);
    copyTree(options.assembly().resolve("config"), config);
    // jvm.options.d is read after jvm.options, so this heap wins over the distribution's 1 GiB
    Files.writeString(config.resolve("jvm.options.d/heap.options"),
        "-Xms" + options.heap() + "\n-Xmx" + options.heap() + "\n", StandardCharsets.UTF_8);
    for (String dir : List.of("data", "logs", "tmp")) {
      Files.createDirectories(nodeDir.resolve(dir));
    }
  }

  /** The JDK to run the node on: {@code OPENSEARCH_JAVA_HOME} if set, else the one running us (Java 17 here). */
  private static String javaHome() {
    String explicit = System.getenv("OPENSEARCH_JAVA_HOME");
    return explicit != null && !explicit.isBlank() ? explicit : System.getProperty("java.home");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String consoleTail(Path console) {
    try {
      if (!Files.exists(console)) {
        return " (output went to the console)";
      }
      List<String> lines = Files.readAllLines(console, StandardCharsets.UTF_8);
      return ". Last lines of " + console + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30),
          lines.size()));
    } catch (IOException e) {
      return " (" + console + " unreadable: " + e.getMessage() + ")";
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        // COPY_ATTRIBUTES keeps bin/opensearch executable
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
