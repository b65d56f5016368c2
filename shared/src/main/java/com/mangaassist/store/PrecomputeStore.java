package com.mangaassist.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Precomputed answers in Redis, confined to their session.
 *
 * <p>Layout (all keys of one session share the hash tag {@code {sessionId}}, hence one cluster slot):
 * <ul>
 *   <li>{@code ma:pre:{sid}:a:<id>}: the answer (JSON), {@code SET … PX ttl}: an absolute TTL fixed at write;
 *   <li>{@code ma:pre:{sid}:idx}: sorted set of entry ids by expiry, pruned on every read and write;
 *   <li>{@code ma:pre-title:<titleId>}: set of entry keys about a title, for {@link #invalidateTitles}.
 * </ul>
 * Reads are plain {@code MGET}s inside a script: nothing ever extends a TTL on read. A session's entries are read
 * only through its own index key, so another session's answers are unreachable by construction.
 *
 * <p>Configuration ({@code precompute.store} block), with defaults: {@code ttlSeconds} 300, {@code timeoutMs} 30
 * (deadline of every Redis call), {@code maxEntriesPerSession} 16 (the soonest-expiring are dropped beyond it).
 *
 * <p>The invalidation script touches title sets and entries of many sessions: on Redis Cluster it must become one
 * call per title set plus one per session slot. Single-node Redis (this deployment) runs it as is.
 */
public final class PrecomputeStore {

  private static final String PUT_SCRIPT = """
      local ttl = tonumber(ARGV[2])
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
      redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
      local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
      if extra > 0 then
        for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, extra - 1)) do
          redis.call('DEL', ARGV[7] .. id)
        end
        redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
      end
      for i = 2, #KEYS do
        if i > 2 then
          redis.call('SADD', KEYS[i], KEYS[1])
        end
        if redis.call('PTTL', KEYS[i]) < ttl then
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
      end
      return 1
      """;

  private static final String READ_SCRIPT = """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
      local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
      local out = {}
      if #ids == 0 then
        return out
      end
      local keys = {}
      for i, id in ipairs(ids) do
        keys[i] = ARGV[2] .. id
      end
      local values = redis.call('MGET', unpack(keys))
      for i, value in ipairs(values) do
        if value then
          out[#out + 1] = value
        else
          redis.call('ZREM', KEYS[1], ids[i])
        end
      end
      return out
      """;

  private static final String INVALIDATE_SCRIPT = """
      local n = 0
      for _, key in ipairs(KEYS) do
        for _, entry in ipairs(redis.call('SMEMBERS', key)) do
          n = n + redis.call('DEL', entry)
        end
        redis.call('DEL', key)
      end
      return n
      """;

  private final RedisAPI redis;
  private final long ttlMs;
  private final long timeoutMs;
  private final int maxEntriesPerSession;

  public PrecomputeStore(Redis redis, JsonObject config) {
    this.redis = RedisAPI.api(redis);
    this.ttlMs = TimeUnit.SECONDS.toMillis(config.getLong("ttlSeconds", 300L));
    this.timeoutMs = config.getLong("timeoutMs", 30L);
    this.maxEntriesPerSession = config.getInteger("maxEntriesPerSession", 16);
    if (ttlMs <= 0 || timeoutMs <= 0 || maxEntriesPerSession <= 0) {
      throw new IllegalArgumentException("precompute store: ttlSeconds, timeoutMs and maxEntriesPerSession must be > 0");
    }
  }

  /**
   * Stores {@code answer} under its session until now + {@code ttlSeconds}; the record's own timestamps are replaced
   * by the write time. A second put of the same id replaces the entry (with a new TTL, as a new write).
   */
  public Future<Void> put(PrecomputedAnswer answer) {
    try {
      if (answer.sessionId() == null || answer.sessionId().isBlank() || answer.id() == null) {
        return Future.failedFuture(new IllegalArgumentException("sessionId and id are required"));
      }
      long now = System.currentTimeMillis();
      PrecomputedAnswer stamped = answer.withTimes(now, now + ttlMs);
      String sessionId = answer.sessionId();
      List<String> args = new ArrayList<>();
      args.add(PUT_SCRIPT);
      LinkedHashSet<String> titles = new LinkedHashSet<>(answer.titleIds());
      args.add(Integer.toString(2 + titles.size()));
      args.add(RedisKeys.precomputeEntry(sessionId, answer.id()));
      args.add(RedisKeys.precomputeIndex(sessionId));
      titles.forEach(t -> args.add(RedisKeys.precomputeByTitle(t)));
      args.add(stamped.toJson().encode());
      args.add(Long.toString(ttlMs));
      args.add(answer.id());
      args.add(Long.toString(stamped.expiresAt()));
      args.add(Integer.toString(maxEntriesPerSession));
      args.add(Long.toString(now));
      args.add(RedisKeys.precomputeEntryPrefix(sessionId));
      return redis.eval(args).timeout(timeoutMs, TimeUnit.MILLISECONDS).mapEmpty();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The unexpired answers of this session only, in one round trip. */
  public Future<List<PrecomputedAnswer>> forSession(String sessionId) {
    try {
      if (sessionId == null || sessionId.isBlank()) {
        return Future.succeededFuture(List.of());
      }
      long now = System.currentTimeMillis();
      return redis.eval(List.of(READ_SCRIPT, "1", RedisKeys.precomputeIndex(sessionId), Long.toString(now),
              RedisKeys.precomputeEntryPrefix(sessionId)))
          .timeout(timeoutMs, TimeUnit.MILLISECONDS)
          .map(values -> decode(values, sessionId, now));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Drops every precomputed answer (of any session) about one of these titles; completes with the count dropped. */
  public Future<Integer> invalidateTitles(Collection<String> titleIds) {
    try {
      LinkedHashSet<String> titles = new LinkedHashSet<>(titleIds);
      if (titles.isEmpty()) {
        return Future.succeededFuture(0);
      }
      List<String> args = new ArrayList<>();
      args.add(INVALIDATE_SCRIPT);
      args.add(Integer.toString(titles.size()));
      titles.forEach(t -> args.add(RedisKeys.precomputeByTitle(t)));
      return redis.eval(args).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(Response::toInteger);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static List<PrecomputedAnswer> decode(Response values, String sessionId, long now) {
    List<PrecomputedAnswer> answers = new ArrayList<>();
    if (values == null) {
      return answers;
    }
    for (Response value : values) {
      PrecomputedAnswer answer = PrecomputedAnswer.fromJson(new JsonObject(value.toString()));
      // belt and braces: the key already confines the entry to its session, and PX already expires it
      if (sessionId.equals(answer.sessionId()) && !answer.expiredAt(now)) {
        answers.add(answer);
      }
    }
    return answers;
  }
}
