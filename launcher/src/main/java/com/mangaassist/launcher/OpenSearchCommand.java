package com.mangaassist.launcher;

import com.mangaassist.opensearchnode.NodeOptions;
import com.mangaassist.opensearchnode.OpenSearchNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/mangaassist opensearch [--data DIR] [--port 9200]}: a real local OpenSearch node with the k-NN plugin,
 * in a JVM of its own, until Ctrl-C. Without {@code --data} its index lives in a temporary directory that goes with
 * it; with one, the index survives restarts (the orchestrator then finds its titles already indexed).
 */
final class OpenSearchCommand {

  private OpenSearchCommand() {}

  static void run(List<String> options) {
    NodeOptions node = NodeOptions.defaults();
    try {
      for (int i = 0; i < options.size(); i++) {
        switch (options.get(i)) {
          case "--data" -> node = node.withDataDir(Path.of(options.get(++i)));
          case "--port" -> node = node.withHttpPort(Integer.parseInt(options.get(++i)));
          default -> throw new IllegalArgumentException("unknown option " + options.get(i));
        }
      }
    } catch (RuntimeException e) {
      System.err.println("usage: bin/mangaassist opensearch [--data DIR] [--port 9200] (" + e.getMessage() + ")");
      System.exit(2);
    }
    if (node.httpPort() != 0 && !portFree(node.httpPort())) {
      System.err.println("127.0.0.1:" + node.httpPort() + " is taken (another OpenSearch?): use --port");
      System.exit(1);
    }
    try {
      OpenSearchNode running = OpenSearchNode.start(node);
      System.out.printf("OpenSearch %s with k-NN ready at %s in %.1f s (pid %d, %s); "
              + "run the orchestrator with OPENSEARCH_URL=%s. Ctrl-C stops it.%n",
          NodeOptions.openSearchVersion(), running.url(), running.startTime().toMillis() / 1000.0, running.pid(),
          node.dataDir() == null ? "data in a temporary directory" : "data in " + node.dataDir().toAbsolutePath(),
          running.url());
      int status = running.waitFor(); // Ctrl-C: the node's shutdown hook stops it and we never get here
      System.err.println("OpenSearch exited on its own (status " + status + "); its logs are in the data directory");
      System.exit(1);
    } catch (IOException e) {
      System.err.println("OpenSearch did not start: " + e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
