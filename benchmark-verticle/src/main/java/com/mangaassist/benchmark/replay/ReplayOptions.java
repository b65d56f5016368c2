package com.mangaassist.benchmark.replay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What one synthetic replay asks: {@code perIntent} measured questions per intent after {@code warmup} discarded ones,
 * over {@code sockets} sockets, each sequential (one question in flight per socket, as one shopper types).
 *
 * @param url the public WebSocket, {@code ws://host:8080/ws}
 * @param perIntent measured questions per intent
 * @param warmup questions per intent asked first and not counted (connections, JIT, model keep-alive)
 * @param sockets sockets opened for the run, one dev user each
 * @param seed the choice of questions: the same seed asks the same questions
 * @param timeoutMs a question without a terminal frame by then counts as an error ({@code client_timeout})
 * @param intents the intents to measure; empty means every intent of {@code conf/bench/synthetic.json}
 */
public record ReplayOptions(String url, int perIntent, int warmup, int sockets, long seed, long timeoutMs,
    List<String> intents) {

  public static final String USAGE = "usage: bin/mangaassist bench run --url ws://HOST:8080/ws [--per-intent 50]"
      + " [--warmup 5] [--sockets 4] [--intents a,b] [--timeout-ms 60000] [--seed N] --out run.json [--html report.html]";

  public ReplayOptions {
    if (url == null || !(url.startsWith("ws://") || url.startsWith("wss://"))) {
      throw new IllegalArgumentException("--url must be a ws:// or wss:// address (got " + url + ")");
    }
    if (perIntent < 1) {
      throw new IllegalArgumentException("--per-intent must be at least 1");
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must not be negative");
    }
    if (sockets < 1) {
      throw new IllegalArgumentException("--sockets must be at least 1");
    }
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("--timeout-ms must be positive");
    }
    intents = List.copyOf(intents);
  }

  /** The event-bus and configuration form ({@code mangaassist.bench.run}); absent keys take the defaults. */
  public static ReplayOptions fromJson(JsonObject json, String defaultUrl) {
    List<String> intents = new ArrayList<>();
    json.getJsonArray("intents", new JsonArray()).forEach(intent -> intents.add(intent.toString()));
    return new ReplayOptions(json.getString("url", defaultUrl), json.getInteger("perIntent", 50),
        json.getInteger("warmup", 5), json.getInteger("sockets", 4), json.getLong("seed", System.nanoTime()),
        json.getLong("timeoutMs", 60_000L), intents);
  }

  public JsonObject toJson() {
    return new JsonObject().put("url", url).put("perIntent", perIntent).put("warmup", warmup).put("sockets", sockets)
        .put("seed", seed).put("timeoutMs", timeoutMs).put("intents", new JsonArray(intents));
  }
}
