package com.mangaassist.launcher;

import com.mangaassist.benchmark.stats.Percentiles;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.store.QuestionNormalizer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist precompute eval --trace FILE [--url ws://host:port/ws] [--pause-scale S] [--concurrency C]
 * [--json]}: replays a conversation trace through the public WebSocket and measures how many follow-ups the
 * precompute role answered ahead of time.
 *
 * <p>Trace: one session per line, {@code {"session":"s1","turns":[{"text":"…","pause_ms":4000},
 * {"text":"…","expect":{"titleId":"…","intent":"…"}}]}}. Each session is a distinct dev user on its own socket; a
 * few sessions run in parallel. After each answer the session waits {@code pause_ms × pause-scale} (the shopper
 * reading; precompute works meanwhile), and after its last answer it stays connected for that turn's pause (or
 * {@value #LAST_GRACE_MS} ms × scale without one) so that the last suggestions are counted.
 *
 * <p>Measures, judged by the trace and not by the server:
 * <ul>
 *   <li>hit rate: follow-ups (every turn after a session's first) answered with {@code source=precomputed};</li>
 *   <li>wrong-served: precomputed answers whose {@code entities[0].titleId} or {@code intent} differ from the turn's
 *       {@code expect} (an expectation without a title is wrong whenever a titled answer is served);</li>
 *   <li>waste: suggestion items offered that no later turn of the session asked (a later turn asked one when it
 *       was served from precompute with the item's intent, or when its text is the item's text);</li>
 *   <li>p50/p99 of the server's {@code total_ms} per answer source.</li>
 * </ul>
 *
 * <p>Without {@code --url} it starts its own system exactly like {@code dev} (Redis via {@link RedisLocator},
 * emulator, precompute, orchestrator on free ports), with intent-transition counts of its own (a fresh Redis hash,
 * deleted at the end): the run starts from the configured priors and learns only from its own replay, as a new
 * deployment would, instead of from whatever tests and earlier runs left in a shared Redis. With {@code --url} it
 * uses a running system in dev mode (tokens from {@code /auth/dev-token}) as it is.
 */
final class PrecomputeEvaluation {

  static final String USAGE = "usage: bin/mangaassist precompute eval --trace FILE [--url ws://127.0.0.1:8080/ws]"
      + " [--pause-scale 1.0] [--concurrency 8] [--json]";
  private static final long LAST_GRACE_MS = 1000;
  private static final long ANSWER_TIMEOUT_MS = 120_000;

  private PrecomputeEvaluation() {}

  /** One turn of the trace, with its optional ground truth. */
  record TraceTurn(String text, long pauseMs, JsonObject expect) {}

  record TraceSession(String id, List<TraceTurn> turns) {}

  /** What one turn got back: its terminal frame ({@code done} or {@code error}). */
  record TurnResult(String session, int index, TraceTurn turn, JsonObject terminal) {

    JsonObject metadata() {
      return "done".equals(terminal.getString("type")) ? terminal.getJsonObject("metadata", new JsonObject()) : null;
    }

    String source() {
      JsonObject metadata = metadata();
      return metadata == null ? "error" : metadata.getString("source", "model");
    }
  }

  /** One {@code suggestions} frame: offered after turn {@code afterIndex} of its session. */
  record Offered(int afterIndex, JsonArray items) {}

  record SessionResult(String session, List<TurnResult> turns, List<Offered> offered) {}

  static List<TraceSession> readTrace(Path file) throws IOException {
    List<TraceSession> sessions = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      JsonArray turns = json.getJsonArray("turns");
      if (turns == null || turns.isEmpty()) {
        throw new IllegalArgumentException(file + ":" + lineNumber + ": a session needs turns");
      }
      List<TraceTurn> parsed = new ArrayList<>();
      for (int i = 0; i < turns.size(); i++) {
        JsonObject turn = turns.getJsonObject(i);
        parsed.add(new TraceTurn(Objects.requireNonNull(turn.getString("text"), file + ":" + lineNumber + ": text"),
            turn.getLong("pause_ms", 0L), turn.getJsonObject("expect")));
      }
      sessions.add(new TraceSession(json.getString("session", "line" + lineNumber), parsed));
    }
    return sessions;
  }

  /** Command line entry: prints the report, exits 0, or prints why not and exits 1 (2 for bad usage). */
  static void run(List<String> args) {
    String trace = option(args, "--trace");
    if (trace == null) {
      System.err.println(USAGE);
      System.exit(2);
    }
    try {
      double scale = Double.parseDouble(Objects.requireNonNullElse(option(args, "--pause-scale"), "1.0"));
      int concurrency = Integer.parseInt(Objects.requireNonNullElse(option(args, "--concurrency"), "8"));
      List<TraceSession> sessions = readTrace(Path.of(trace));
      String url = option(args, "--url");
      JsonObject report = url == null
          ? evaluateInProcess(sessions, scale, concurrency, new JsonObject())
          : evaluate(url, sessions, scale, concurrency);
      report.put("trace", trace);
      if (args.contains("--json")) {
        System.out.println(report.encode());
      } else {
        printTable(report);
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("precompute eval failed: " + e);
      System.exit(1);
    }
  }

  private static String option(List<String> args, String name) {
    int index = args.indexOf(name);
    return index >= 0 && index + 1 < args.size() ? args.get(index + 1) : null;
  }

  /**
   * Starts emulator, precompute and orchestrator in this JVM like {@code dev} (with {@code overrides} merged over
   * the configuration, e.g. for tests), replays the trace against it, stops it.
   */
  static JsonObject evaluateInProcess(List<TraceSession> sessions, double scale, int concurrency, JsonObject overrides)
      throws Exception {
    JsonObject config = ConfigFiles.load().mergeIn(overrides, true);
    String transitionsKey = com.mangaassist.store.RedisKeys.transitions() + ":eval:" + UUID.randomUUID();
    config.getJsonObject("precompute").put("transitionsKey", transitionsKey);
    try (RedisLocator redis = RedisLocator.locate(config.getJsonObject("redis").getString("url", "redis://127.0.0.1:6379"))) {
      config.getJsonObject("redis").put("url", redis.url());
      config.getJsonObject("orchestrator").put("devMode", true).put("port", 0).put("host", "127.0.0.1");
      config.getJsonObject("emulator").put("port", 0);
      config.getJsonObject("precompute").put("port", 0);
      Vertx vertx = Vertx.vertx();
      try {
        int port = RoleRunner.deployDev(vertx, config).await(120, TimeUnit.SECONDS);
        JsonObject report = replay(vertx, URI.create("ws://127.0.0.1:" + port + "/ws"), sessions, scale, concurrency);
        io.vertx.redis.client.RedisAPI.api(com.mangaassist.store.RedisClients.create(vertx, config.getJsonObject("redis")))
            .del(List.of(transitionsKey)).await(10, TimeUnit.SECONDS);
        return report.put("system", "in-process (emulator + precompute + orchestrator, Redis " + redis.url()
            + ", transition counts of this run only)");
      } finally {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Replays the trace against a running system at {@code url} (ws:// or wss://, dev mode on). */
  static JsonObject evaluate(String url, List<TraceSession> sessions, double scale, int concurrency) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return replay(vertx, URI.create(url), sessions, scale, concurrency).put("system", url);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  static JsonObject replay(Vertx vertx, URI ws, List<TraceSession> sessions, double scale, int concurrency)
      throws Exception {
    // one client for the whole run: Vert.x 5 closes a client nothing refers to any more
    WebSocketClient client = vertx.createWebSocketClient();
    HttpClient http = HttpClient.newHttpClient();
    String run = UUID.randomUUID().toString().substring(0, 8);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), r -> {
      Thread thread = new Thread(r, "precompute-eval");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<SessionResult>> futures = new ArrayList<>();
      for (TraceSession session : sessions) {
        futures.add(pool.submit(() -> replaySession(client, http, ws, "eval-" + run + "-" + session.id(), session, scale)));
      }
      List<SessionResult> results = new ArrayList<>();
      int done = 0;
      for (Future<SessionResult> future : futures) {
        results.add(future.get(30, TimeUnit.MINUTES));
        if (++done % 20 == 0) {
          System.err.printf(Locale.ROOT, "  %d/%d sessions replayed%n", done, sessions.size());
        }
      }
      return report(results, scale, concurrency);
    } finally {
      pool.shutdownNow();
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static SessionResult replaySession(WebSocketClient client, HttpClient http, URI ws, String user,
      TraceSession session, double scale) throws Exception {
    boolean secure = "wss".equals(ws.getScheme()) || "https".equals(ws.getScheme());
    int port = ws.getPort() > 0 ? ws.getPort() : secure ? 443 : 80;
    String path = ws.getPath() == null || ws.getPath().isEmpty() ? "/ws" : ws.getPath();
    URI tokenUri = URI.create((secure ? "https" : "http") + "://" + ws.getHost() + ":" + port
        + "/auth/dev-token?user=" + URLEncoder.encode(user, StandardCharsets.UTF_8));
    HttpResponse<String> tokenResponse = http.send(HttpRequest.newBuilder(tokenUri).build(),
        HttpResponse.BodyHandlers.ofString());
    if (tokenResponse.statusCode() != 200) {
      throw new IllegalStateException("no dev token from " + tokenUri + " (HTTP " + tokenResponse.statusCode()
          + "): is the system running in dev mode?");
    }
    String token = new JsonObject(tokenResponse.body()).getString("token");
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket socket = client.connect(new WebSocketConnectOptions().setHost(ws.getHost()).setPort(port).setSsl(secure)
        .setURI(path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
        // the handler goes on in the connection's event loop, before the server's first frame is delivered
        .andThen(connected -> {
          if (connected.succeeded()) {
            connected.result().textMessageHandler(text -> frames.add(new JsonObject(text)));
          }
        })
        .await(30, TimeUnit.SECONDS);
    List<TurnResult> turns = new ArrayList<>();
    List<Offered> offered = new ArrayList<>();
    Map<String, Integer> indexOfId = new LinkedHashMap<>();
    try {
      await(frames, offered, indexOfId, f -> "ready".equals(f.getString("type")), 30_000);
      for (int i = 0; i < session.turns().size(); i++) {
        TraceTurn turn = session.turns().get(i);
        String id = "t" + (i + 1);
        indexOfId.put(id, i);
        socket.writeTextMessage(new JsonObject().put("action", "query").put("id", id).put("text", turn.text()).encode());
        JsonObject terminal = await(frames, offered, indexOfId, f -> id.equals(f.getString("id"))
            && ("done".equals(f.getString("type")) || "error".equals(f.getString("type"))), ANSWER_TIMEOUT_MS);
        turns.add(new TurnResult(session.id(), i, turn, terminal));
        boolean last = i == session.turns().size() - 1;
        long pause = Math.round((turn.pauseMs() == 0 && last ? LAST_GRACE_MS : turn.pauseMs()) * scale);
        // the shopper reads; suggestions arriving meanwhile are collected
        long until = System.currentTimeMillis() + pause;
        for (long left = pause; left > 0; left = until - System.currentTimeMillis()) {
          JsonObject frame = frames.poll(left, TimeUnit.MILLISECONDS);
          if (frame != null) {
            collect(frame, offered, indexOfId);
          }
        }
      }
    } finally {
      socket.close();
    }
    return new SessionResult(session.id(), turns, offered);
  }

  /** Takes frames until one matches, collecting suggestions on the way. */
  private static JsonObject await(BlockingQueue<JsonObject> frames, List<Offered> offered, Map<String, Integer> indexOfId,
      java.util.function.Predicate<JsonObject> wanted, long timeoutMs) throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMs;
    while (true) {
      JsonObject frame = frames.poll(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new IllegalStateException("no answer within " + timeoutMs + " ms");
      }
      collect(frame, offered, indexOfId);
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  private static void collect(JsonObject frame, List<Offered> offered, Map<String, Integer> indexOfId) {
    if ("suggestions".equals(frame.getString("type"))) {
      Integer after = indexOfId.get(frame.getString("id"));
      int index = after == null ? -1 : after;
      // a turn's suggestions are re-published, cumulatively, as each answer is ready: the latest list counts
      offered.removeIf(earlier -> earlier.afterIndex() == index);
      offered.add(new Offered(index, frame.getJsonArray("items", new JsonArray())));
    }
  }

  /** True when a served precomputed answer is not about what the trace says the question is about. */
  static boolean wrongServed(JsonObject metadata, JsonObject expect) {
    JsonArray entities = metadata.getJsonArray("entities", new JsonArray());
    String servedTitle = entities.isEmpty() ? null : entities.getJsonObject(0).getString("titleId");
    return !Objects.equals(servedTitle, expect.getString("titleId"))
        || !Objects.equals(metadata.getString("intent"), expect.getString("intent"));
  }

  static JsonObject report(List<SessionResult> sessions, double scale, int concurrency) {
    int turns = 0;
    int followUps = 0;
    int hits = 0;
    int judged = 0;
    int unjudged = 0;
    int errors = 0;
    int offeredItems = 0;
    int usedItems = 0;
    JsonArray wrong = new JsonArray();
    JsonArray missed = new JsonArray();
    Map<String, List<Double>> totals = new LinkedHashMap<>();
    Map<String, int[]> byExpectedIntent = new LinkedHashMap<>();
    for (SessionResult session : sessions) {
      for (TurnResult result : session.turns()) {
        turns++;
        JsonObject metadata = result.metadata();
        if (metadata == null) {
          errors++;
        } else if (metadata.getValue("total_ms") != null) {
          totals.computeIfAbsent(result.source(), k -> new ArrayList<>()).add(metadata.getDouble("total_ms"));
        }
        if (result.index() == 0) {
          continue;
        }
        followUps++;
        boolean hit = "precomputed".equals(result.source());
        JsonObject expect = result.turn().expect();
        String expectedIntent = expect == null ? "(no expect)" : expect.getString("intent", "?");
        int[] counts = byExpectedIntent.computeIfAbsent(expectedIntent, k -> new int[2]);
        counts[0]++;
        if (!hit) {
          missed.add(missed(result, expect));
          continue;
        }
        hits++;
        counts[1]++;
        if (expect == null) {
          unjudged++;
        } else {
          judged++;
          if (wrongServed(metadata, expect)) {
            wrong.add(new JsonObject().put("session", result.session()).put("turn", result.index() + 1)
                .put("text", result.turn().text()).put("expect", expect)
                .put("served", new JsonObject().put("intent", metadata.getString("intent"))
                    .put("entities", metadata.getJsonArray("entities"))));
          }
        }
      }
      usedItems += usedSuggestions(session);
      for (Offered offered : session.offered()) {
        offeredItems += offered.items().size();
      }
    }
    JsonObject latency = new JsonObject();
    totals.forEach((source, values) -> {
      List<Double> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      latency.put(source, new JsonObject().put("count", sorted.size()).put("p50_ms", Percentiles.ofSorted(sorted, 0.50))
          .put("p99_ms", Percentiles.ofSorted(sorted, 0.99)).put("max_ms", sorted.get(sorted.size() - 1)));
    });
    JsonObject perIntent = new JsonObject();
    byExpectedIntent.forEach((intent, c) -> perIntent.put(intent, new JsonObject().put("follow_ups", c[0])
        .put("precomputed", c[1]).put("hit_rate", c[0] == 0 ? 0.0 : (double) c[1] / c[0])));
    return new JsonObject()
        .put("sessions", sessions.size())
        .put("turns", turns)
        .put("pause_scale", scale)
        .put("concurrency", concurrency)
        .put("errors", errors)
        .put("follow_ups", followUps)
        .put("precomputed", hits)
        .put("hit_rate", followUps == 0 ? 0.0 : (double) hits / followUps)
        .put("wrong_served", wrong.size())
        .put("wrong_served_rate", hits == 0 ? 0.0 : (double) wrong.size() / hits)
        .put("judged_precomputed", judged)
        .put("unjudged_precomputed", unjudged)
        .put("wrong_served_examples", wrong)
        .put("missed_follow_ups", missed)
        .put("suggestions_offered", offeredItems)
        .put("suggestions_asked", usedItems)
        .put("suggestions_wasted", offeredItems - usedItems)
        .put("waste_rate", offeredItems == 0 ? 0.0 : (double) (offeredItems - usedItems) / offeredItems)
        .put("hit_rate_by_expected_intent", perIntent)
        .put("total_ms_by_source", latency);
  }

  /** A follow-up the normal path answered: what was asked, what the trace expected and what the server resolved. */
  private static JsonObject missed(TurnResult result, JsonObject expect) {
    JsonObject metadata = result.metadata();
    JsonObject miss = new JsonObject().put("session", result.session()).put("turn", result.index() + 1)
        .put("text", result.turn().text()).put("expect", expect).put("source", result.source());
    if (metadata != null) {
      miss.put("intent", metadata.getString("intent")).put("entities", metadata.getJsonArray("entities"))
          .put("volumes", metadata.getJsonArray("volumes"));
    }
    return miss;
  }

  /**
   * Suggestion items some later turn of the session asked: served from precompute with the item's intent, or typed
   * as the item's text. Each turn uses at most one item, each item counts once.
   */
  static int usedSuggestions(SessionResult session) {
    List<boolean[]> usedFlags = new ArrayList<>();
    for (Offered offered : session.offered()) {
      usedFlags.add(new boolean[offered.items().size()]);
    }
    int used = 0;
    for (TurnResult turn : session.turns()) {
      JsonObject metadata = turn.metadata();
      boolean hit = "precomputed".equals(turn.source());
      String asked = QuestionNormalizer.normalize(turn.turn().text());
      outer:
      for (int o = session.offered().size() - 1; o >= 0; o--) {
        Offered offered = session.offered().get(o);
        if (offered.afterIndex() >= turn.index()) {
          continue;
        }
        for (int i = 0; i < offered.items().size(); i++) {
          JsonObject item = offered.items().getJsonObject(i);
          boolean sameIntent = hit && Objects.equals(item.getString("intent"), metadata.getString("intent"));
          boolean sameText = asked.equals(QuestionNormalizer.normalize(item.getString("text", "")));
          if (!usedFlags.get(o)[i] && (sameIntent || sameText)) {
            usedFlags.get(o)[i] = true;
            used++;
            break outer;
          }
        }
      }
    }
    return used;
  }


  static void printTable(JsonObject r) {
    System.out.printf(Locale.ROOT, "%nprecompute eval: %s%n", r.getString("trace", ""));
    System.out.printf(Locale.ROOT, "system: %s, pause scale %.2f, %d sessions in parallel%n",
        r.getString("system", ""), r.getDouble("pause_scale"), r.getInteger("concurrency"));
    System.out.printf(Locale.ROOT, "%d sessions, %d turns, %d errors%n%n", r.getInteger("sessions"),
        r.getInteger("turns"), r.getInteger("errors"));
    System.out.printf(Locale.ROOT, "%-44s %8s%n", "follow-ups (turns after the first)", r.getInteger("follow_ups"));
    System.out.printf(Locale.ROOT, "%-44s %8d  hit rate %5.1f %%%n", "served from precompute",
        r.getInteger("precomputed"), 100 * r.getDouble("hit_rate"));
    System.out.printf(Locale.ROOT, "%-44s %8d  %5.2f %% of precomputed (%d judged, %d without expect)%n",
        "wrong-served (vs trace expect)", r.getInteger("wrong_served"), 100 * r.getDouble("wrong_served_rate"),
        r.getInteger("judged_precomputed"), r.getInteger("unjudged_precomputed"));
    System.out.printf(Locale.ROOT, "%-44s %8d%n", "suggestions offered (items)", r.getInteger("suggestions_offered"));
    System.out.printf(Locale.ROOT, "%-44s %8d  waste %5.1f %%%n", "suggestions never asked",
        r.getInteger("suggestions_wasted"), 100 * r.getDouble("waste_rate"));
    System.out.printf(Locale.ROOT, "%n%-20s %10s %10s %8s%n", "expected intent", "follow-ups", "precomputed", "hit");
    r.getJsonObject("hit_rate_by_expected_intent").forEach(e -> {
      JsonObject c = (JsonObject) e.getValue();
      System.out.printf(Locale.ROOT, "%-20s %10d %10d %7.1f%%%n", e.getKey(), c.getInteger("follow_ups"),
          c.getInteger("precomputed"), 100 * c.getDouble("hit_rate"));
    });
    System.out.printf(Locale.ROOT, "%n%-20s %8s %10s %10s %10s%n", "server total_ms", "answers", "p50", "p99", "max");
    r.getJsonObject("total_ms_by_source").forEach(e -> {
      JsonObject l = (JsonObject) e.getValue();
      System.out.printf(Locale.ROOT, "%-20s %8d %10.2f %10.2f %10.2f%n", e.getKey(), l.getInteger("count"),
          l.getDouble("p50_ms"), l.getDouble("p99_ms"), l.getDouble("max_ms"));
    });
    JsonArray wrong = r.getJsonArray("wrong_served_examples");
    for (int i = 0; i < Math.min(10, wrong.size()); i++) {
      System.out.println("  wrong: " + wrong.getJsonObject(i).encode());
    }
  }
}
