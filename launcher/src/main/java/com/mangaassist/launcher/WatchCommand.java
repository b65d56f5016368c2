package com.mangaassist.launcher;

import com.mangaassist.benchmark.client.EventBusBridgeClient;
import com.mangaassist.bus.Addresses;
import com.mangaassist.bus.ClusterStatus;
import com.mangaassist.config.ConfigFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist watch alerts|results [--bridge URL]}: prints each alert or benchmark result as one JSON line on
 * stdout as it is published. By default it joins the cluster as a lite member (it holds none of the cluster's data, so
 * coming and going moves nothing); with {@code --bridge ws://HOST:8080/eventbus} it listens through an orchestrator's
 * event-bus bridge instead, from a machine that cannot join the cluster.
 */
final class WatchCommand {

  static final String USAGE = "usage: bin/mangaassist watch alerts|results [--bridge ws://HOST:8080/eventbus]"
      + "   (without --bridge: joins the cluster of conf/cluster.json)";
  /** Queued after the last line: the main thread's loop ends there. */
  private static final String STOP = "\u0000stop";

  private WatchCommand() {}

  static int run(List<String> options) {
    String address = switch (options.isEmpty() ? "" : options.get(0)) {
      case "alerts" -> Addresses.ALERTS;
      case "results" -> Addresses.BENCH_RESULT;
      default -> null;
    };
    int bridgeIndex = options.indexOf("--bridge");
    if (address == null || (bridgeIndex >= 0 && bridgeIndex + 1 >= options.size())) {
      System.err.println(USAGE);
      return 2;
    }
    String bridgeUrl = bridgeIndex >= 0 ? options.get(bridgeIndex + 1) : null;
    // printing is blocking I/O: the event loop only queues, the main thread writes
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Vertx vertx;
    try {
      vertx = bridgeUrl == null ? joinCluster(address, lines) : listenThroughBridge(bridgeUrl, address, lines);
    } catch (Exception e) {
      System.err.println("watch: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      lines.add(STOP);
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("watch: did not stop cleanly: " + e.getMessage());
      }
    }, "mangaassist-watch-shutdown"));
    try {
      for (String line = lines.take(); !line.equals(STOP); line = lines.take()) {
        System.out.println(line);
        System.out.flush();
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Vertx joinCluster(String address, LinkedBlockingQueue<String> lines) throws Exception {
    JsonObject cluster = ConfigFiles.load().getJsonObject("cluster");
    Vertx vertx = VertxStarter.clustered(cluster, true).await(60, TimeUnit.SECONDS);
    vertx.eventBus().consumer(address, message -> lines.add(asLine(message.body())))
        .completion().await(30, TimeUnit.SECONDS);
    System.err.println("watching " + address + " on cluster " + cluster.getString("name", "mangaassist") + " ("
        + ClusterStatus.of(vertx).getInteger("members", 0) + " members); Ctrl-C stops");
    return vertx;
  }

  private static Vertx listenThroughBridge(String url, String address, LinkedBlockingQueue<String> lines)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Future<EventBusBridgeClient> listening = EventBusBridgeClient.connect(vertx, url)
        .compose(bridge -> {
          bridge.handler(frame -> {
            if ("rec".equals(frame.getString("type"))) {
              lines.add(asLine(frame.getValue("body")));
            }
          });
          bridge.closeHandler(() -> {
            System.err.println("watch: the bridge closed the socket");
            lines.add(STOP);
          });
          return bridge.register(address).map(bridge);
        });
    try {
      listening.await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("cannot listen at " + url + ": " + e.getMessage(), e);
    }
    System.err.println("watching " + address + " through the bridge at " + url + "; Ctrl-C stops");
    return vertx;
  }

  private static String asLine(Object body) {
    return body instanceof JsonObject json ? json.encode() : String.valueOf(body);
  }
}
