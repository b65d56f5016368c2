package com.mangaassist.model;

/** Receives one generation as it streams. See {@link ModelClient} for the threading contract. */
public interface ModelStreamListener {

  /** A text delta, in order; never empty. */
  void onDelta(String text);

  /** The stream ended normally. */
  void onComplete(ModelCompletion completion);

  /** The stream failed; {@link ModelFailure#afterFirstToken()} tells whether deltas were already delivered. */
  void onError(ModelFailure failure);
}
