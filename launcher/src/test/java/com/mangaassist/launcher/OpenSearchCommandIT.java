package com.mangaassist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/mangaassist opensearch} as a user types it: a real node with k-NN, gone again after SIGTERM. */
class OpenSearchCommandIT {

  private static final Path ROOT = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();
  private static final Pattern READY =
      Pattern.compile("OpenSearch \\S+ with k-NN ready at (http://127\\.0\\.0\\.1:\\d+) .*\\(pid (\\d+),.*");

  @TempDir
  Path data;

  private Process command;
  private long nodePid = -1;

  @AfterEach
  void stop() throws Exception {
    if (command != null && command.isAlive()) {
      command.destroy();
      command.waitFor(60, TimeUnit.SECONDS);
    }
    // only if the test failed half-way: the node we started, by its PID, never anything else
    Optional<ProcessHandle> node = nodePid > 0 ? ProcessHandle.of(nodePid) : Optional.empty();
    node.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void startsANodeWithTheKnnPluginAndStopsItOnSigterm() throws Exception {
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(ROOT.resolve("bin/mangaassist").toString(), "opensearch",
        "--port", Integer.toString(port), "--data", data.toString());
    builder.redirectError(ProcessBuilder.Redirect.appendTo(ROOT.resolve("launcher/target/opensearch-command-it.log")
        .toFile()));
    command = builder.start();
    LinkedBlockingQueue<String> lines = ProcessLines.of(command);

    Matcher ready = null;
    for (String line = lines.poll(180, TimeUnit.SECONDS); line != null; line = lines.poll(180, TimeUnit.SECONDS)) {
      Matcher m = READY.matcher(line);
      if (m.matches()) {
        ready = m;
        break;
      }
    }
    assertNotNull(ready, "no ready line; see launcher/target/opensearch-command-it.log");
    assertEquals("http://127.0.0.1:" + port, ready.group(1));
    nodePid = Long.parseLong(ready.group(2));
    String plugins = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(ready.group(1) + "/_cat/plugins?h=component")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(plugins.contains("opensearch-knn"), plugins);

    command.toHandle().destroy(); // SIGTERM, as Ctrl-C sends SIGINT: the shutdown hook stops the node for both
    assertTrue(command.waitFor(60, TimeUnit.SECONDS), "the command ends");
    assertFalse(ProcessHandle.of(nodePid).map(ProcessHandle::isAlive).orElse(false), "the node's JVM is gone");
    assertTrue(Files.isDirectory(data.resolve("data/nodes")), "--data keeps the index for the next start");
  }

  @Test
  void aTakenPortIsRefusedWithAMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process p = new ProcessBuilder(ROOT.resolve("bin/mangaassist").toString(), "opensearch", "--port",
          Integer.toString(taken.getLocalPort())).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, p.exitValue(), output);
      assertTrue(output.contains("is taken"), output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
