package com.mangaassist.benchmark;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorAdmin;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.emulator.TestEmulator;
import com.mangaassist.orchestrator.OrchestratorVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.TimeUnit;

/**
 * A real MangaAssist to measure from outside, in the test JVM: the Bedrock emulator on a free port, the orchestrator
 * talking to it through the AWS SDK, Prometheus metrics with JVM figures as {@code bin/mangaassist} runs them, and the
 * real Redis at {@code REDIS_URL} (default 127.0.0.1:6379; {@code .ci/run} starts one).
 */
public final class RunningSystem implements AutoCloseable {

  /** The orchestrator's JWT secret, for tools that sign their own tokens as outside dev mode. */
  public static final String JWT_SECRET = "benchmark-test-secret-long-enough-for-hs256";

  public final Vertx vertx;
  public final EmulatorAdmin emulator;
  public final int port;

  private RunningSystem(Vertx vertx, int emulatorPort, int port) {
    this.vertx = vertx;
    this.emulator = new EmulatorAdmin(emulatorPort);
    this.port = port;
  }

  /** {@code overrides} is merged (deeply) into the combined configuration. */
  public static RunningSystem start(JsonObject overrides) throws Exception {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)))
        .build();
    JsonObject emulatorConfig = TestEmulator.fastConfig();
    // long enough that several answers stream at once, short enough for a test
    emulatorConfig.getJsonObject("profiles").forEach(p -> ((JsonObject) p.getValue()).put("tokensPerSecond", 300));
    JsonObject config = ConfigFiles.load().mergeIn(new JsonObject()
        .put("orchestrator", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("devMode", true)
            .put("auth", new JsonObject().put("jwtSecret", JWT_SECRET)))
        .put("emulator", emulatorConfig)
        .put("model", new JsonObject().put("keepAlive", new JsonObject().put("enabled", false)))
        .put("redis", new JsonObject().put("url", System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"))),
        true).mergeIn(overrides, true);
    EmulatorVerticle emulator = new EmulatorVerticle();
    vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config.getJsonObject("emulator")))
        .await(60, TimeUnit.SECONDS);
    config.getJsonObject("model").put("endpoint", "http://127.0.0.1:" + emulator.actualPort());
    OrchestratorVerticle orchestrator = new OrchestratorVerticle();
    vertx.deployVerticle(orchestrator, new DeploymentOptions().setConfig(config)).await(120, TimeUnit.SECONDS);
    return new RunningSystem(vertx, emulator.actualPort(), orchestrator.actualPort());
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(60, TimeUnit.SECONDS);
  }
}
