package com.mangaassist.orchestrator;

import com.mangaassist.intent.IntentClassifier;
import com.mangaassist.intent.IntentPrediction;
import io.vertx.core.json.JsonObject;

/**
 * Calling the model before the question's embedding is back. The embedding is the longest step before the model
 * call (4–7 ms of CPU on the 2-core machine); a question whose intent is clear from its words alone and whose answer
 * needs no catalog search can have its model call started without it. The turn holds the model's output until the
 * embedding confirms the intent and finds no stored answer (semantic cache, precomputed answer by meaning); a stored
 * answer or another intent abandons the started call, which is the cost: a model call begun and cancelled.
 *
 * @param words the words-only intent classifier; {@code null} when early starts are off
 * @param minConfidence how sure the words must be ({@code orchestrator.earlyStart.minConfidence})
 */
record EarlyStart(IntentClassifier words, double minConfidence) {

  static final EarlyStart OFF = new EarlyStart(null, 1);

  /** {@code orchestrator.earlyStart}: {@code enabled} (true) and {@code minConfidence} (0.7). */
  static EarlyStart from(JsonObject config, IntentClassifier words) {
    return config.getBoolean("enabled", true)
        ? new EarlyStart(words, config.getDouble("minConfidence", 0.7))
        : OFF;
  }

  /** The intent the words of this (masked) question are sure of, or {@code null}: off, or not sure enough. */
  String sureIntent(String masked) {
    if (words == null) {
      return null;
    }
    IntentPrediction prediction = words.classify(masked, null);
    return prediction.confidence() >= minConfidence ? prediction.intent() : null;
  }
}
