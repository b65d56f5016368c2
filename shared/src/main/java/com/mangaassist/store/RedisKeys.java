package com.mangaassist.store;

/** Every Redis key of the system (DESIGN.md §5), all under the {@code ma:} prefix. */
public final class RedisKeys {

  public static final String PREFIX = "ma:";

  private RedisKeys() {}

  /** Hash: userId, createdAt of one chat session. */
  public static String session(String sessionId) {
    return PREFIX + "session:" + sessionId;
  }

  /** List of JSON turns ({@code role}, {@code text}), oldest first, trimmed. */
  public static String history(String sessionId) {
    return PREFIX + "history:" + sessionId;
  }
}
