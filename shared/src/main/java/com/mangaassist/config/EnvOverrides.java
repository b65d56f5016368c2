package com.mangaassist.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Environment variables that override configuration keys ({@code role.key}), documented in the README. */
public final class EnvOverrides {

  /** Variable name → dotted path in the combined configuration. */
  public static final Map<String, String> VARIABLES;

  static {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("HTTP_PORT", "orchestrator.port");
    vars.put("HTTP_HOST", "orchestrator.host");
    vars.put("JWT_SECRET", "orchestrator.auth.jwtSecret");
    vars.put("JWT_PUBLIC_KEY", "orchestrator.auth.publicKey");
    vars.put("JWT_PUBLIC_KEY_FILE", "orchestrator.auth.publicKeyFile");
    vars.put("DEV_MODE", "orchestrator.devMode");
    vars.put("EVENTBUS_BRIDGE_ENABLED", "orchestrator.eventBusBridge.enabled");
    vars.put("REDIS_URL", "redis.url");
    vars.put("BEDROCK_ENDPOINT", "model.endpoint");
    vars.put("AWS_REGION", "model.region");
    vars.put("EMULATOR_PORT", "emulator.port");
    vars.put("EMULATOR_HOST", "emulator.host");
    vars.put("EMULATOR_SEED", "emulator.seed");
    vars.put("BENCHMARK_PORT", "benchmark.port");
    vars.put("BENCH_SCHEDULE", "benchmark.schedule.enabled");
    vars.put("BENCH_WEBHOOK_URL", "benchmark.alerts.webhookUrl");
    vars.put("BENCH_REPLAY_URL", "benchmark.replay.url");
    vars.put("OPENSEARCH_URL", "retrieval.opensearch.url");
    vars.put("PRECOMPUTE_PORT", "precompute.port");
    vars.put("CLUSTER_NAME", "cluster.name");
    vars.put("CLUSTER_MEMBERS", "cluster.members");
    vars.put("CLUSTER_HOST", "cluster.host");
    vars.put("CLUSTER_PORT", "cluster.port");
    vars.put("CLUSTER_PUBLIC_HOST", "cluster.publicHost");
    vars.put("EVENTBUS_PORT", "cluster.eventBusPort");
    VARIABLES = Map.copyOf(vars);
  }

  private EnvOverrides() {}

  public static JsonObject apply(JsonObject config, Map<String, String> env) {
    JsonObject result = config.copy();
    VARIABLES.forEach((variable, path) -> {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        put(result, path, typed(value.strip()));
      }
    });
    return result;
  }

  private static void put(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }

  /** Numbers and booleans keep their JSON type so {@code getInteger}/{@code getBoolean} work on overrides. */
  private static Object typed(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    if (value.matches("-?\\d{1,18}")) {
      long n = Long.parseLong(value);
      return n == (int) n ? (Object) (int) n : (Object) n;
    }
    return value;
  }
}
