package com.mangaassist.protocol;

/** A client frame that cannot be accepted; becomes an {@code error} frame, never a closed connection by itself. */
public final class ProtocolException extends Exception {

  private final ErrorCode code;
  private final String queryId;

  public ProtocolException(ErrorCode code, String message, String queryId) {
    super(message, null, false, false);
    this.code = code;
    this.queryId = queryId;
  }

  public ErrorCode code() {
    return code;
  }

  /** The query id the frame carried, or null when the frame could not be parsed that far. */
  public String queryId() {
    return queryId;
  }
}
