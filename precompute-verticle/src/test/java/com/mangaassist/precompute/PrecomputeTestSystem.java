package com.mangaassist.precompute;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.emulator.EmulatorVerticle;
import com.mangaassist.emulator.TestEmulator;
import com.mangaassist.store.RedisClients;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;

/**
 * The precompute role as its tests run it: the shipped configuration with {@code precompute} overrides, the Bedrock
 * emulator (fast profile) reached through the real SDK client, and the real Redis at {@code REDIS_URL} (default
 * 127.0.0.1:6379; {@code .ci/run} starts one).
 */
final class PrecomputeTestSystem implements AutoCloseable {

  static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

  final Vertx vertx;
  final PrecomputeVerticle verticle;
  final int emulatorPort;
  /** The combined configuration the verticle was deployed with. */
  final JsonObject config;
  /** A client of the test's own for reading what the verticle wrote. */
  final Redis redis;

  private PrecomputeTestSystem(Vertx vertx, PrecomputeVerticle verticle, int emulatorPort, JsonObject config) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.emulatorPort = emulatorPort;
    this.config = config;
    this.redis = RedisClients.create(vertx, new JsonObject().put("url", REDIS_URL));
  }

  /** {@code precompute} is merged (deeply) into the shipped {@code conf/precompute.json}. */
  static PrecomputeTestSystem start(JsonObject precompute) {
    Vertx vertx = Vertx.vertx();
    JsonObject config = ConfigFiles.load().mergeIn(new JsonObject()
        .put("emulator", TestEmulator.fastConfig())
        .put("redis", new JsonObject().put("url", REDIS_URL))
        // a round's first generation is the SDK's first call, alongside the embedder's first inference: on a loaded
        // 2-core machine that alone has taken over 3 s
        .put("model", new JsonObject().put("firstTokenTimeoutMs", 10000).put("idleTimeoutMs", 1000)
            .put("keepAlive", new JsonObject().put("enabled", false)))
        // any free status port: a dev system or another test JVM may hold 8081
        .put("precompute", new JsonObject().put("port", 0).mergeIn(precompute, true)), true);
    EmulatorVerticle emulator = new EmulatorVerticle();
    PrecomputeVerticleTest.await(vertx.deployVerticle(emulator,
        new DeploymentOptions().setConfig(config.getJsonObject("emulator"))));
    config.getJsonObject("model").put("endpoint", "http://127.0.0.1:" + emulator.actualPort());
    PrecomputeVerticle verticle = new PrecomputeVerticle();
    PrecomputeVerticleTest.await(vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)));
    return new PrecomputeTestSystem(vertx, verticle, emulator.actualPort(), config);
  }

  @Override
  public void close() {
    PrecomputeVerticleTest.await(vertx.close());
  }
}
