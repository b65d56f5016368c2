package com.mangaassist.launcher;

import com.mangaassist.benchmark.BenchmarkVerticle;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.metrics.EventLoopLagProbe;
import com.mangaassist.orchestrator.OrchestratorVerticle;
import com.mangaassist.precompute.PrecomputeVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Vert.x with Prometheus metrics, deploys a role's verticles, prints its ready line, stops on Ctrl-C. */
final class RoleRunner {

  private static final Logger LOG = LoggerFactory.getLogger(RoleRunner.class);
  /** How long Vert.x itself may take to close once the chat has drained. */
  private static final long CLOSE_TIMEOUT_MS = 20_000;
  /** The orchestrator's deployment, stopped first on shutdown so that its answers in flight can finish. */
  private static final AtomicReference<String> ORCHESTRATOR = new AtomicReference<>();

  private RoleRunner() {}

  /** Runs a role; {@code clustered}: its event bus joins the other roles' through Hazelcast ({@code --cluster}). */
  static void run(Role role, boolean clustered) {
    JsonObject config = ConfigFiles.load();
    RedisLocator redis = null;
    try {
      if (role == Role.DEV) {
        redis = RedisLocator.locate(config.getJsonObject("redis").getString("url", "redis://127.0.0.1:6379"));
        config.getJsonObject("redis").put("url", redis.url());
        // dev tokens are the point of dev mode; DEV_MODE=false turns them off even here
        config.getJsonObject("orchestrator").put("devMode", !"false".equals(System.getenv("DEV_MODE")));
        // a laptop should not replay hundreds of questions every 15 minutes unless asked (BENCH_SCHEDULE=true)
        config.getJsonObject("benchmark").getJsonObject("schedule", new JsonObject())
            .put("enabled", "true".equals(System.getenv("BENCH_SCHEDULE")));
      }
      Vertx vertx = clustered
          ? VertxStarter.clustered(config.getJsonObject("cluster"), false).await(60, TimeUnit.SECONDS)
          : VertxStarter.standalone();
      EventLoopLagProbe.deploy(vertx).await(10, TimeUnit.SECONDS); // one per event loop, before anything else
      RedisLocator embeddedRedis = redis;
      long graceMs = config.getJsonObject("orchestrator").getLong("shutdownGraceMs", 10_000L);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, embeddedRedis, graceMs),
          "mangaassist-shutdown"));
      String readyLine = deploy(vertx, role, config).await(60, TimeUnit.SECONDS);
      System.out.println(readyLine);
      System.out.flush();
    } catch (Exception e) {
      LOG.error("{} failed to start: {}", role.name().toLowerCase(), e.getMessage(), e);
      if (redis != null) {
        redis.close();
      }
      System.exit(1);
    }
  }

  private static Future<String> deploy(Vertx vertx, Role role, JsonObject config) {
    return switch (role) {
      case EMULATOR -> deployEmulator(vertx, config)
          .map(port -> "MangaAssist Bedrock emulator ready at http://127.0.0.1:" + port + "/");
      case ORCHESTRATOR -> deployOrchestrator(vertx, config)
          .map(port -> "MangaAssist orchestrator ready at http://127.0.0.1:" + port + "/");
      case PRECOMPUTE -> deployPrecompute(vertx, config).map(id -> "MangaAssist precompute ready");
      case BENCHMARK -> deployBenchmark(vertx, config)
          .map(port -> "MangaAssist benchmark ready at http://127.0.0.1:" + port + "/report");
      case DEV -> deployDev(vertx, config)
          .compose(orchestratorPort -> {
            // the benchmark replays through this orchestrator's public socket, as a shopper would
            JsonObject benchmark = config.getJsonObject("benchmark");
            benchmark.put("replay", benchmark.getJsonObject("replay", new JsonObject()).copy()
                .put("url", "ws://127.0.0.1:" + orchestratorPort + "/ws"));
            return deployBenchmark(vertx, config).map(benchmarkPort -> orchestratorPort);
          })
          .map(port -> "MangaAssist ready at http://127.0.0.1:" + port + "/");
    };
  }

  /**
   * Everything of {@code dev} in one Vert.x: the emulator, then precompute, then the orchestrator (whose port the
   * future carries). Also used by {@link PrecomputeEvaluation} for a system of its own.
   */
  static Future<Integer> deployDev(Vertx vertx, JsonObject config) {
    return deployEmulator(vertx, config)
        .compose(emulatorPort -> {
          JsonObject model = config.getJsonObject("model");
          String endpoint = model.getString("endpoint");
          if (endpoint == null || endpoint.isBlank()) {
            // dev talks to its own emulator unless told otherwise; "aws" means real Bedrock
            model.put("endpoint", "http://127.0.0.1:" + emulatorPort);
          } else if (endpoint.equals("aws")) {
            model.remove("endpoint");
          }
          // precompute shares the endpoint the orchestrator uses (the dev emulator unless told otherwise)
          return deployPrecompute(vertx, config).compose(id -> deployOrchestrator(vertx, config));
        });
  }

  private static Future<Integer> deployEmulator(Vertx vertx, JsonObject config) {
    EmulatorVerticle emulator = new EmulatorVerticle();
    return vertx.deployVerticle(emulator, new DeploymentOptions().setConfig(config.getJsonObject("emulator")))
        .map(id -> emulator.actualPort());
  }

  private static Future<Integer> deployOrchestrator(Vertx vertx, JsonObject config) {
    OrchestratorVerticle orchestrator = new OrchestratorVerticle();
    return vertx.deployVerticle(orchestrator, new DeploymentOptions().setConfig(config))
        .onSuccess(ORCHESTRATOR::set)
        .map(id -> orchestrator.actualPort());
  }

  private static Future<Integer> deployBenchmark(Vertx vertx, JsonObject config) {
    BenchmarkVerticle benchmark = new BenchmarkVerticle();
    return vertx.deployVerticle(benchmark, new DeploymentOptions().setConfig(config))
        .map(id -> benchmark.actualPort());
  }

  private static Future<String> deployPrecompute(Vertx vertx, JsonObject config) {
    return vertx.deployVerticle(new PrecomputeVerticle(), new DeploymentOptions().setConfig(config));
  }

  /**
   * Ctrl-C or SIGTERM: the orchestrator first (no new sockets or questions, answers in flight get up to
   * {@code shutdownGraceMs}, every socket closed with 1001) while the rest, the emulator of {@code dev} included, still
   * runs; then everything else; then the embedded Redis. Closing Vert.x alone would close the sockets before
   * undeploying anything.
   */
  private static void shutdown(Vertx vertx, RedisLocator redis, long graceMs) {
    String orchestrator = ORCHESTRATOR.get();
    if (orchestrator != null) {
      try {
        vertx.undeploy(orchestrator).await(graceMs + CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("the orchestrator did not stop cleanly: {}", e.getMessage());
      }
    }
    try {
      vertx.close().await(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      LOG.info("Vert.x closed{}", vertx.isClustered() ? ", left the cluster" : "");
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    }
    if (redis != null) {
      redis.close();
    }
    System.out.println("MangaAssist stopped");
    System.out.flush();
  }
}
