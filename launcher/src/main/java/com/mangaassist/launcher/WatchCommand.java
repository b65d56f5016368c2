package com.mangaassist.launcher;

import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.ClusterStatus;
import com.mangaassist.config.ConfigFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist watch alerts|results}: joins the cluster as a lite member (it holds none of the cluster's
 * data, so coming and going moves nothing) and prints each alert or benchmark result as one JSON line on stdout.
 */
final class WatchCommand {

  static final String USAGE = "usage: bin/mangaassist watch alerts|results   (joins the cluster of conf/cluster.json)";
  /** Printed after the poison pill: the main thread's loop ends there. */
  private static final String STOP = "\u0000stop";

  private WatchCommand() {}

  static int run(List<String> options) {
    String address = switch (options.isEmpty() ? "" : options.get(0)) {
      case "alerts" -> Addresses.ALERTS;
      case "results" -> Addresses.BENCH_RESULT;
      default -> null;
    };
    if (address == null) {
      System.err.println(USAGE);
      return 2;
    }
    JsonObject cluster = ConfigFiles.load().getJsonObject("cluster");
    Vertx vertx;
    try {
      vertx = VertxStarter.clustered(cluster, true).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("watch: cannot join the cluster: " + e.getMessage());
      return 1;
    }
    // printing is blocking I/O: the event loop only queues, the main thread writes
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      lines.add(STOP);
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("watch: did not leave the cluster cleanly: " + e.getMessage());
      }
    }, "mangaassist-watch-shutdown"));
    try {
      vertx.eventBus().consumer(address, message -> lines.add(asLine(message.body())))
          .completion().await(30, TimeUnit.SECONDS);
      JsonObject status = ClusterStatus.of(vertx);
      System.err.println("watching " + address + " on cluster " + cluster.getString("name", "mangaassist") + " ("
          + status.getInteger("members", 0) + " members); Ctrl-C stops");
      for (String line = lines.take(); !line.equals(STOP); line = lines.take()) {
        System.out.println(line);
        System.out.flush();
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      System.err.println("watch: " + e.getMessage());
      return 1;
    }
  }

  private static String asLine(Object body) {
    return body instanceof JsonObject json ? json.encode() : String.valueOf(body);
  }
}
