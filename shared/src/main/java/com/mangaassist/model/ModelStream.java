package com.mangaassist.model;

/** A running generation. */
public interface ModelStream {

  /** Stops the generation: the HTTP stream to the model is cancelled and no further callback is delivered. */
  void cancel();
}
