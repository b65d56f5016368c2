package com.mangaassist.emulator;

import java.util.List;

/**
 * Everything one emulated generation will send, decided up front so the metrics it reports are exact.
 *
 * @param modelId             the Bedrock model id from the URL
 * @param messageId           Anthropic message id ({@code msg_bdrk_…})
 * @param inputTokens         estimated input tokens
 * @param deltas              text deltas in order (each 1-3 tokens)
 * @param delaysMs            delay before each delta; the first one is the time to first token
 * @param outputTokens        tokens in all deltas
 * @param stopReason          {@code end_turn}, {@code max_tokens} or {@code stop_sequence}
 * @param stopSequence        the matched stop sequence, or null
 * @param firstByteLatencyMs  reported first-byte latency (the planned time to first token)
 * @param invocationLatencyMs reported total latency (the planned time of the last delta)
 * @param coldStart           whether the cold-start penalty was added
 * @param newConnection       whether the new-connection penalty was added
 * @param paddingSeed         seed for the {@code p} padding values
 */
record GenerationPlan(
    String modelId,
    String messageId,
    int inputTokens,
    List<String> deltas,
    long[] delaysMs,
    int outputTokens,
    String stopReason,
    String stopSequence,
    long firstByteLatencyMs,
    long invocationLatencyMs,
    boolean coldStart,
    boolean newConnection,
    long paddingSeed) {

  String text() {
    return String.join("", deltas);
  }

  /** Anthropic's model name for the id, e.g. {@code claude-3-haiku-20240307}. */
  String anthropicModelName() {
    String name = modelId.substring(modelId.lastIndexOf('/') + 1);
    int provider = name.indexOf("anthropic.");
    if (provider >= 0) {
      name = name.substring(provider + "anthropic.".length());
    }
    return name.replaceFirst("-v\\d+(:\\d+)?$", "");
  }
}
