package com.mangaassist.store;

/** Every Redis key of the system (DESIGN.md §5), all under the {@code ma:} prefix. */
public final class RedisKeys {

  public static final String PREFIX = "ma:";

  private RedisKeys() {}

  /** Hash: userId, createdAt of one chat session. */
  public static String session(String sessionId) {
    return PREFIX + "session:" + sessionId;
  }

  /** JSON document: liked titles and genre counts of one shopper (keyed by user, never by session). */
  public static String profile(String userId) {
    return PREFIX + "profile:" + userId;
  }

  /** List of JSON turns ({@code role}, {@code text}), oldest first, trimmed. */
  public static String history(String sessionId) {
    return PREFIX + "history:" + sessionId;
  }

  /*
   * Semantic cache keys. The scope hash sits in braces, a Redis Cluster hash tag: every key of one scope lands in
   * the same slot, so the store script may touch them together.
   */

  /** Prefix of the exact-tier keys of one scope; the SHA-256 of the normalised question completes it. */
  public static String cacheExactPrefix(String scopeHash) {
    return PREFIX + "cache:{" + scopeHash + "}:exact:";
  }

  /** String: one cached answer (JSON) for an exact normalised question; absolute TTL set at write. */
  public static String cacheExact(String scopeHash, String questionHash) {
    return cacheExactPrefix(scopeHash) + questionHash;
  }

  /**
   * Hash: question hash to its {@code SemanticProbe} (expiry, hash, embedding as raw bytes), the semantic tier of one
   * scope; the answers are the exact tier's entries. ({@code :sem}, which held whole JSON entries, is the earlier
   * format: its keys expire within the TTL.)
   */
  public static String cacheSemantic(String scopeHash) {
    return PREFIX + "cache:{" + scopeHash + "}:vec";
  }

  /** Sorted set: question hashes of one scope by creation time, to keep only the newest entries. */
  public static String cacheOrder(String scopeHash) {
    return PREFIX + "cache:{" + scopeHash + "}:vec:order";
  }

  /*
   * Precomputed answers. The session id sits in braces, a Redis Cluster hash tag: every key of one session lands in
   * the same slot, so one script may read the index and the entries together.
   */

  /** Prefix of every precomputed-answer key of one session. */
  public static String precomputePrefix(String sessionId) {
    return PREFIX + "pre:{" + sessionId + "}:";
  }

  /** Prefix of the entry keys of one session; the entry id completes it. */
  public static String precomputeEntryPrefix(String sessionId) {
    return precomputePrefix(sessionId) + "a:";
  }

  /** String: one precomputed answer (JSON); absolute TTL set at write, never refreshed. */
  public static String precomputeEntry(String sessionId, String id) {
    return precomputeEntryPrefix(sessionId) + id;
  }

  /** Sorted set: entry ids of one session scored by their expiry (epoch ms). */
  public static String precomputeIndex(String sessionId) {
    return precomputePrefix(sessionId) + "idx";
  }

  /** Set: keys of the precomputed entries that are about one title, for invalidation on catalog updates. */
  public static String precomputeByTitle(String titleId) {
    return PREFIX + "pre-title:" + titleId;
  }

  /** Hash: intent-transition counts, field {@code from>to}, plus {@code from>*} totals. */
  public static String transitions() {
    return PREFIX + "transitions";
  }

  /*
   * Benchmark baselines: a rolling window of samples per source (synthetic replay or sampled production turns),
   * intent and metric. Sorted sets scored by when the sample was taken (epoch ms), so the window is one range.
   */

  /** Sorted set: latency samples ({@code runId:index:ms}) of one source, intent and metric ({@code ttft_ms}, {@code total_ms}). */
  public static String benchBaseline(String source, String intent, String metric) {
    return PREFIX + "bench:baseline:" + source + ":" + intent + ":" + metric;
  }

  /** Sorted set: request outcomes ({@code runId:index:ok} or {@code …:err}) of one source and intent, for error rates. */
  public static String benchBaselineOutcomes(String source, String intent) {
    return PREFIX + "bench:baseline:" + source + ":" + intent + ":outcomes";
  }

  /** Hash: {@code prompt}, {@code routing}: the versions that answered the latest run admitted to the baseline. */
  public static String benchBaselineVersions() {
    return PREFIX + "bench:baseline:versions";
  }
}
