package com.mangaassist.protocol;

/** The typed error codes of client protocol v1 (DESIGN.md §3). */
public enum ErrorCode {
  BAD_REQUEST("bad_request", false),
  TOO_LARGE("too_large", false),
  RATE_LIMITED("rate_limited", true),
  UNAUTHORIZED("unauthorized", false),
  THROTTLED("throttled", true),
  MODEL_ERROR("model_error", true),
  TIMEOUT("timeout", true),
  INTERNAL("internal", true),
  /** The node is shutting down: ask again after reconnecting (to another node), with {@code resume}. */
  UNAVAILABLE("unavailable", true);

  private final String wireName;
  private final boolean retryableByDefault;

  ErrorCode(String wireName, boolean retryableByDefault) {
    this.wireName = wireName;
    this.retryableByDefault = retryableByDefault;
  }

  public String wireName() {
    return wireName;
  }

  public boolean retryableByDefault() {
    return retryableByDefault;
  }
}
