package com.mangaassist.benchmark.compare;

/** A run file that cannot be read or does not follow the format of {@link RunFile}; the message says where. */
public final class InvalidRunFileException extends RuntimeException {

  InvalidRunFileException(String message) {
    super(message);
  }

  InvalidRunFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
