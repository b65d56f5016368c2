package com.mangaassist.model;

/**
 * Why a generation failed.
 *
 * @param kind            what went wrong, in terms a chat client can act on
 * @param message         a human-readable reason (no secrets, no stack traces)
 * @param retryable       whether asking again later may succeed
 * @param afterFirstToken whether text deltas had already been delivered
 */
public record ModelFailure(Kind kind, String message, boolean retryable, boolean afterFirstToken) {

  public enum Kind {
    /** 429 or an in-stream throttlingException. */
    THROTTLED,
    /** The model failed: 424/5xx, modelStreamErrorException, a broken stream. */
    MODEL_ERROR,
    /** No first token, or no next token, within the configured time. */
    TIMEOUT,
    /** The request was refused as invalid (400 / validationException). */
    VALIDATION,
    /** Anything else (client-side bug, configuration). */
    INTERNAL
  }
}
