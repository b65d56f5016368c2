package com.mangaassist.model;

/**
 * How a generation ended, with Bedrock's own invocation metrics when the model sent them (else -1).
 *
 * @param stopReason          {@code end_turn}, {@code max_tokens} or {@code stop_sequence}
 * @param inputTokens         billed input tokens
 * @param outputTokens        billed output tokens
 * @param firstByteLatencyMs  the model's own time to first byte
 * @param invocationLatencyMs the model's own total time
 */
public record ModelCompletion(
    String stopReason, int inputTokens, int outputTokens, long firstByteLatencyMs, long invocationLatencyMs) {}
