package com.mangaassist.orchestrator;

/** Where an {@link AnswerWriter} puts its frames: the client connection, with its back-pressure signals. */
interface AnswerSink {

  void write(String frame);

  boolean writeQueueFull();

  /** Calls {@link AnswerWriter#drained()} once the client's write queue has room again. */
  void waitForDrain(AnswerWriter writer);

  void stopWaitingForDrain(AnswerWriter writer);

  /** The client cannot keep up: give up on it rather than buffer without bound. */
  void closeSlowClient();
}
