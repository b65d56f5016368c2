package com.mangaassist.intent;

/** Maps a shopper's question to an intent; in-process, no network. */
public interface IntentClassifier {

  /** @param embedding the question's normalised embedding (computed once per turn and shared) */
  IntentPrediction classify(String text, float[] embedding);
}
