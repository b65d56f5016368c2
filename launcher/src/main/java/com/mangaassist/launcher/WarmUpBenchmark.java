package com.mangaassist.launcher;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.model.BedrockModelClient;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.ModelCompletion;
import com.mangaassist.model.ModelFailure;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.model.ModelStreamListener;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/mangaassist bench warmup [--rounds N]}: time to first token through the real SDK client against the
 * emulator's cold-start and new-connection penalties, three ways in one run, interleaved round by round:
 * <ul>
 *   <li>{@code cold}: nothing warm, a fresh client (new connection) to a model idle past its cold threshold;</li>
 *   <li>{@code warm model, new connection}: the model was just invoked by another client;</li>
 *   <li>{@code keep-alive}: the same client warmed the model and its connection first (what {@code ModelKeepAlive} does).</li>
 * </ul>
 * The emulator's profiles come from {@code conf/emulator.json}; only the idle threshold is shortened so that the
 * model goes cold between rounds within seconds instead of minutes.
 */
final class WarmUpBenchmark {

  private static final String MODEL = "haiku";
  private static final long COLD_AFTER_IDLE_MS = 1_500;

  private final Vertx vertx;
  private final JsonObject modelConfig;

  private WarmUpBenchmark(Vertx vertx, JsonObject modelConfig) {
    this.vertx = vertx;
    this.modelConfig = modelConfig;
  }

  static void run(int rounds) throws Exception {
    JsonObject config = ConfigFiles.load();
    JsonObject emulatorConfig = config.getJsonObject("emulator").copy().put("port", 0)
        .put("coldAfterIdleMs", COLD_AFTER_IDLE_MS);
    Vertx vertx = Vertx.vertx();
    try {
      EmulatorVerticle emulator = new EmulatorVerticle();
      vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(emulatorConfig)).await(30, TimeUnit.SECONDS);
      JsonObject modelConfig = config.getJsonObject("model").copy()
          .put("endpoint", "http://127.0.0.1:" + emulator.actualPort());
      System.out.printf(Locale.ROOT, "warm-up benchmark: %d rounds, %s, emulator profile %s, cold-start penalty %d ms "
              + "after %d ms idle, new-connection penalty %d ms%n", rounds, MODEL,
          emulatorConfig.getJsonObject("profiles").getJsonObject(modelConfig.getJsonObject("models").getString(MODEL)),
          emulatorConfig.getLong("coldStartPenaltyMs"), COLD_AFTER_IDLE_MS, emulatorConfig.getLong("newConnectionPenaltyMs"));
      new WarmUpBenchmark(vertx, modelConfig).measure(rounds);
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  private void measure(int rounds) throws Exception {
    List<Double> cold = new ArrayList<>();
    List<Double> newConnection = new ArrayList<>();
    List<Double> keepAlive = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      letModelGoCold();
      try (ModelClient client = new BedrockModelClient(vertx, modelConfig)) {
        cold.add(timeToFirstToken(client));
      }

      letModelGoCold();
      try (ModelClient warmer = new BedrockModelClient(vertx, modelConfig);
           ModelClient client = new BedrockModelClient(vertx, modelConfig)) {
        warmer.warmUp(MODEL).await(30, TimeUnit.SECONDS);
        newConnection.add(timeToFirstToken(client));
      }

      letModelGoCold();
      try (ModelClient client = new BedrockModelClient(vertx, modelConfig)) {
        client.warmUp(MODEL).await(30, TimeUnit.SECONDS);
        keepAlive.add(timeToFirstToken(client));
      }
      System.out.printf(Locale.ROOT, "round %2d/%d: cold %7.1f ms   warm model, new connection %7.1f ms   keep-alive %7.1f ms%n",
          round, rounds, last(cold), last(newConnection), last(keepAlive));
    }
    System.out.println();
    System.out.println("client time to first token (ms)       median      min      max");
    row("cold (no warm-up)", cold);
    row("warm model, new connection", newConnection);
    row("keep-alive (warm model + connection)", keepAlive);
    System.out.printf(Locale.ROOT, "keep-alive saves %.1f ms at the median (%.1fx faster first token)%n",
        median(cold) - median(keepAlive), median(cold) / median(keepAlive));
  }

  private void letModelGoCold() throws InterruptedException {
    Thread.sleep(COLD_AFTER_IDLE_MS + 300);
  }

  /** Invocation to first text delta, measured on the event loop that receives the delta. */
  private double timeToFirstToken(ModelClient client) throws Exception {
    Promise<Double> first = Promise.promise();
    ModelRequest request = ModelRequest.of(MODEL, "You are MangaAssist.",
        List.of(ChatMessage.user("Recommend manga like One Piece")), 16);
    vertx.getOrCreateContext().runOnContext(v -> {
      long start = System.nanoTime();
      client.stream(request, new ModelStreamListener() {
        @Override
        public void onDelta(String text) {
          first.tryComplete((System.nanoTime() - start) / 1e6);
        }

        @Override
        public void onComplete(ModelCompletion completion) {
          first.tryFail("the model sent no text");
        }

        @Override
        public void onError(ModelFailure failure) {
          first.tryFail(failure.kind() + ": " + failure.message());
        }
      });
    });
    Future<Double> ttft = first.future();
    return ttft.await(60, TimeUnit.SECONDS);
  }

  private static void row(String label, List<Double> values) {
    System.out.printf(Locale.ROOT, "%-36s %8.1f %8.1f %8.1f%n", label, median(values), Collections.min(values),
        Collections.max(values));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }
}
