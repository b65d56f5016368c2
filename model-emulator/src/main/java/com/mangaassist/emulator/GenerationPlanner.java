package com.mangaassist.emulator;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Decides the answer text and its timing for each invocation. It also remembers which models are warm and which
 * HTTP connections it has seen, so warm-up and connection reuse have a measurable effect. Used from the emulator's
 * event loop only.
 */
final class GenerationPlanner {

  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final long seed;
  private LatencyProfile defaultProfile;
  private final Map<String, LatencyProfile> profiles = new HashMap<>();
  private final long coldStartPenaltyMs;
  private final long coldAfterIdleMs;
  private final long newConnectionPenaltyMs;
  private final int minDeltaTokens;
  private final int maxDeltaTokens;
  private final AnswerComposer composer = new AnswerComposer();
  private final Map<String, Long> lastInvocationAt = new HashMap<>();
  /** Weak, so closed connections are forgotten; HttpConnection has identity equality. */
  private final Set<HttpConnection> seenConnections = Collections.newSetFromMap(new WeakHashMap<>());

  GenerationPlanner(JsonObject config) {
    this.seed = config.getLong("seed");
    useProfiles(config.getJsonObject("profiles"));
    this.coldStartPenaltyMs = config.getLong("coldStartPenaltyMs");
    this.coldAfterIdleMs = config.getLong("coldAfterIdleMs");
    this.newConnectionPenaltyMs = config.getLong("newConnectionPenaltyMs");
    JsonObject deltaTokens = config.getJsonObject("deltaTokens");
    this.minDeltaTokens = deltaTokens.getInteger("min");
    this.maxDeltaTokens = deltaTokens.getInteger("max");
    if (minDeltaTokens < 1 || maxDeltaTokens < minDeltaTokens) {
      throw new IllegalArgumentException("deltaTokens must satisfy 1 <= min <= max");
    }
  }

  /**
   * Replaces the latency profiles ({@code {"default":{…}, "<modelId>":{…}}}) from the next generation on, keeping
   * which models are warm and which connections were seen: a slower model, not a restarted emulator.
   */
  void useProfiles(JsonObject profileConfig) {
    LatencyProfile builtIn = new LatencyProfile(300, 0.05, 95, 0.15);
    LatencyProfile newDefault = LatencyProfile.fromJson(profileConfig.getJsonObject("default", new JsonObject()),
        builtIn);
    Map<String, LatencyProfile> perModel = new HashMap<>();
    for (String modelId : profileConfig.fieldNames()) {
      if (!modelId.equals("default")) {
        perModel.put(modelId, LatencyProfile.fromJson(profileConfig.getJsonObject(modelId), newDefault));
      }
    }
    defaultProfile = newDefault;
    profiles.clear();
    profiles.putAll(perModel);
  }

  /** The latency profile for a model id; cross-region ids ({@code us.anthropic…}) use the base model's profile. */
  LatencyProfile profileFor(String modelId) {
    LatencyProfile exact = profiles.get(modelId);
    if (exact != null) {
      return exact;
    }
    int provider = modelId.indexOf("anthropic.");
    return provider > 0 ? profiles.getOrDefault(modelId.substring(provider), defaultProfile) : defaultProfile;
  }

  /** Plans one generation and records the model as warm and the connection as seen. */
  GenerationPlan plan(String modelId, InvocationRequest request, HttpConnection connection, long nowMs) {
    Random random = new Random(seed * 1_000_003L + request.promptKey().hashCode());
    LatencyProfile profile = profileFor(modelId);

    Long last = lastInvocationAt.get(modelId);
    boolean cold = coldStartPenaltyMs > 0 && (last == null || nowMs - last > coldAfterIdleMs);
    boolean newConnection = newConnectionPenaltyMs > 0 && connection != null && seenConnections.add(connection);

    String answer = composer.compose(request, random);
    List<String> tokens = TokenSplitter.tokens(answer);
    String stopReason = "end_turn";
    String stopSequence = null;
    int stopAt = -1;
    for (String candidate : request.stopSequences()) {
      int index = answer.indexOf(candidate);
      if (index >= 0 && (stopAt < 0 || index < stopAt)) {
        stopAt = index;
        stopSequence = candidate;
      }
    }
    if (stopAt >= 0) {
      tokens = TokenSplitter.tokens(answer.substring(0, stopAt));
      stopReason = "stop_sequence";
    }
    if (tokens.size() > request.maxTokens()) {
      tokens = tokens.subList(0, request.maxTokens());
      stopReason = "max_tokens";
      stopSequence = null;
    }

    int inputTokens = request.inputTokens();
    List<List<String>> groups = TokenSplitter.deltas(tokens, minDeltaTokens, maxDeltaTokens, random);
    List<String> deltas = new ArrayList<>(groups.size());
    long[] delays = new long[groups.size()];
    long ttft = Math.round(jittered(profile.ttftMs() + profile.msPerInputToken() * inputTokens, profile, random))
        + (cold ? coldStartPenaltyMs : 0) + (newConnection ? newConnectionPenaltyMs : 0);
    long elapsed = ttft;
    for (int i = 0; i < groups.size(); i++) {
      deltas.add(String.join("", groups.get(i)));
      if (i == 0) {
        delays[i] = ttft;
      } else {
        delays[i] = Math.round(jittered(groups.get(i).size() * 1000.0 / profile.tokensPerSecond(), profile, random));
        elapsed += delays[i];
      }
    }
    // idle time counts from the end of the model's last generation, not its start: a model is warm while busy
    lastInvocationAt.merge(modelId, nowMs + elapsed, Math::max);
    return new GenerationPlan(modelId, messageId(random), inputTokens, List.copyOf(deltas), delays, tokens.size(),
        stopReason, stopSequence, ttft, elapsed, cold, newConnection, random.nextLong());
  }

  private static double jittered(double value, LatencyProfile profile, Random random) {
    double factor = 1 + profile.jitter() * (2 * random.nextDouble() - 1);
    return Math.max(0, value * factor);
  }

  private static String messageId(Random random) {
    StringBuilder id = new StringBuilder("msg_bdrk_01");
    for (int i = 0; i < 22; i++) {
      id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }
}
