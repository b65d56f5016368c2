package com.mangaassist.store;

import com.mangaassist.store.CacheLookup.Outcome;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A two-tier answer cache in Redis: an exact tier on the normalised question, then a semantic tier on the question's
 * embedding, both confined to a hard {@link CacheScope}.
 *
 * <p>Entries expire at an absolute time fixed when they are written; a hit never extends it (RedisVL's sliding TTL
 * keeps popular answers alive forever, redis-vl-python#603). Every Redis call has a deadline; a failure or timeout
 * fails the returned future, which callers treat as a miss. Nothing throws synchronously.
 *
 * <p>Configuration ({@code cache} block), with defaults:
 * <ul>
 *   <li>{@code enabled} true
 *   <li>{@code similarityThreshold} 0.92: cosine similarity (not distance) for a semantic hit
 *   <li>{@code ttlSeconds} 3600
 *   <li>{@code maxEntriesPerScope} 64: newest semantic entries kept per scope; bounds the in-process cosine work
 *   <li>{@code timeoutMs} 30: per Redis call
 *   <li>{@code personalIntents}, {@code uncacheableIntents}: see {@link CachePolicy}
 * </ul>
 */
public final class SemanticCache {

  /*
   * Threshold 0.92, a cosine similarity. Public defaults span 0.80 (GPTCache: ~9% of its hits wrong in its own
   * benchmark) to 0.95 (Portkey); RedisVL's distance 0.1 is similarity 0.90. We lean to precision: a wrong answer
   * about a manga costs more than the model call a hit saves. On conf/eval/cache-pairs.jsonl (77 pairs, 48 that
   * must not hit) with the lexical test embedder (SemanticCacheEvalTest prints the sweep):
   *   0.85: 18/29 hits, 1 false hit with guards (a narrower question, "... for kids"), 6 without guards
   *   0.88: 17/29 hits, 0 false hits with guards, 3 without
   *   0.90: 16/29 hits, 0 false hits with guards, 1 without ("Monster volume 2" vs "volume 1" at 0.920)
   *   0.92: 15/29 hits, 0 false hits with guards, 0 without (that volume pair sits right at the edge)
   * 0.92 keeps a margin above the first false hit. Thresholds do not transfer between embedding models: re-run the
   * sweep with MiniLM before trusting this value in production.
   */
  static final double DEFAULT_THRESHOLD = 0.92;

  /*
   * One atomic write: exact key, semantic entry, creation order, then eviction of expired and of the oldest entries
   * beyond the bound (their exact keys too, so both tiers stay bounded). Scores are creation times in ms, bumped by
   * one when two writes share a millisecond, so "newest" is always well defined. Exact keys are built in the
   * script from the prefix; they share the scope's hash tag, hence the slot, so this stays valid on a cluster.
   */
  private static final String STORE_SCRIPT = """
      redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[4])
      if ARGV[3] ~= '' then
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
      else
        redis.call('HDEL', KEYS[2], ARGV[1])
      end
      local score = tonumber(ARGV[5])
      local top = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
      if top[2] ~= nil and top[1] ~= ARGV[1] and tonumber(top[2]) >= score then
        score = tonumber(top[2]) + 1
      end
      redis.call('ZADD', KEYS[3], score, ARGV[1])
      local function drop(fields)
        for _, field in ipairs(fields) do
          redis.call('DEL', ARGV[8] .. field)
          redis.call('HDEL', KEYS[2], field)
          redis.call('ZREM', KEYS[3], field)
        end
      end
      drop(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[7]))
      local extra = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[6])
      if extra > 0 then
        drop(redis.call('ZRANGE', KEYS[3], 0, extra - 1))
      end
      redis.call('EXPIRE', KEYS[2], ARGV[4])
      redis.call('EXPIRE', KEYS[3], ARGV[4])
      return 1
      """;

  private static final String INVALIDATE_SCRIPT = """
      local fields = redis.call('ZRANGE', KEYS[2], 0, -1)
      for _, field in ipairs(fields) do
        redis.call('DEL', ARGV[1] .. field)
      end
      redis.call('DEL', KEYS[1], KEYS[2])
      return #fields
      """;

  private final Redis client;
  private final RedisAPI redis;
  private final CachePolicy policy;
  private final SemanticMatcher matcher;
  private final long ttlSeconds;
  private final int maxEntriesPerScope;
  private final long timeoutMs;

  public SemanticCache(Redis redis, JsonObject config) {
    this.client = redis;
    this.redis = RedisAPI.api(redis);
    this.policy = new CachePolicy(config);
    double threshold = config.getDouble("similarityThreshold", DEFAULT_THRESHOLD);
    this.ttlSeconds = config.getLong("ttlSeconds", 3600L);
    this.maxEntriesPerScope = config.getInteger("maxEntriesPerScope", 64);
    this.timeoutMs = config.getLong("timeoutMs", 30L);
    // Wrong values here would silently serve wrong answers or never expire: refuse them at start-up.
    require(threshold >= -1 && threshold <= 1, "similarityThreshold is a cosine similarity in [-1, 1]: " + threshold);
    require(ttlSeconds > 0, "ttlSeconds must be positive: " + ttlSeconds);
    // the semantic tier parses and scores every entry of a scope on the event loop: keep that bounded and small
    require(maxEntriesPerScope > 0 && maxEntriesPerScope <= 512, "maxEntriesPerScope in 1..512: " + maxEntriesPerScope);
    require(timeoutMs > 0, "timeoutMs must be positive: " + timeoutMs);
    this.matcher = new SemanticMatcher(threshold);
  }

  /** The scope of a turn under this cache's policy (user kept only for personal intents). */
  public CacheScope scope(
      String intent, List<String> titleIds, List<Integer> volumes, String promptVersion, int catalogVersion,
      String userId) {
    return policy.scope(intent, titleIds, volumes, promptVersion, catalogVersion, userId);
  }

  /**
   * A cached answer for {@code question} in {@code scope}: the exact tier first, then, when an embedding is given,
   * the most similar entry of the scope. {@code embedding} may be null to consult the exact tier only.
   */
  public Future<CacheLookup> lookup(CacheScope scope, String question, float[] embedding) {
    return lookup(scope, question, embedding, true);
  }

  /**
   * The semantic tier alone, for a question whose exact tier was already consulted (the orchestrator's early start
   * looks it up before the embedding exists): one Redis round trip fewer than {@link #lookup}.
   */
  public Future<CacheLookup> lookupByMeaning(CacheScope scope, String question, float[] embedding) {
    return lookup(scope, question, Objects.requireNonNull(embedding, "embedding"), false);
  }

  private Future<CacheLookup> lookup(CacheScope scope, String question, float[] embedding, boolean exactTier) {
    try {
      Optional<Outcome> refusal = refusal(scope);
      if (refusal.isPresent()) {
        return Future.succeededFuture(CacheLookup.rejected(refusal.get(), Double.NaN));
      }
      String normalized = QuestionNormalizer.normalize(question);
      if (normalized.isEmpty()) {
        return Future.succeededFuture(CacheLookup.miss());
      }
      String scopeHash = scope.key();
      Future<Response> exact = exactTier
          ? redis.get(RedisKeys.cacheExact(scopeHash, Sha256Hex.of(normalized)))
              .timeout(timeoutMs, TimeUnit.MILLISECONDS)
          : Future.succeededFuture();
      return exact.compose(found -> {
        if (found != null) {
          return Future.succeededFuture(CacheLookup.exact(CachedAnswer.fromJson(new JsonObject(found.toString()))));
        }
        if (embedding == null) {
          return Future.succeededFuture(CacheLookup.miss());
        }
        return redis.hvals(RedisKeys.cacheSemantic(scopeHash))
            .timeout(timeoutMs, TimeUnit.MILLISECONDS)
            .compose(probes -> pick(scopeHash, question, normalized,
                matcher.rank(embedding, probes(probes), System.currentTimeMillis())));
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Caches {@code answer} for {@code question} in {@code scope} until now + {@code ttlSeconds}. Completes with false
   * when the policy forbids caching it (nothing is written). {@code embedding} may be null for an exact-only entry.
   */
  public Future<Boolean> store(
      CacheScope scope, String question, float[] embedding, String answer, JsonObject metadata) {
    try {
      String normalized = QuestionNormalizer.normalize(question);
      if (refusal(scope).isPresent() || normalized.isEmpty() || answer == null) {
        return Future.succeededFuture(false);
      }
      long now = System.currentTimeMillis();
      long ttlMs = TimeUnit.SECONDS.toMillis(ttlSeconds);
      CachedAnswer entry = new CachedAnswer(question, normalized, answer, metadata, now, now + ttlMs);
      String scopeHash = scope.key();
      String questionHash = Sha256Hex.of(normalized);
      // the probe is raw bytes, so the script goes out as a request of its own rather than RedisAPI's string arguments
      Request script = Request.cmd(Command.EVAL)
          .arg(STORE_SCRIPT).arg(3)
          .arg(RedisKeys.cacheExact(scopeHash, questionHash)).arg(RedisKeys.cacheSemantic(scopeHash))
          .arg(RedisKeys.cacheOrder(scopeHash))
          .arg(questionHash)
          .arg(entry.toJson().encode())
          .arg(embedding == null ? new byte[0] : new SemanticProbe(questionHash, entry.expiresAt(), embedding).encode())
          .arg(ttlSeconds)
          .arg(now)
          .arg(maxEntriesPerScope)
          .arg(now - ttlMs)
          .arg(RedisKeys.cacheExactPrefix(scopeHash));
      return client.send(script).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(r -> true);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Drops every entry of a scope, both tiers: for a wrong answer found in the cache. Completes with the count. */
  public Future<Integer> invalidate(CacheScope scope) {
    try {
      String scopeHash = scope.key();
      return redis.eval(List.of(
              INVALIDATE_SCRIPT, "2",
              RedisKeys.cacheSemantic(scopeHash), RedisKeys.cacheOrder(scopeHash),
              RedisKeys.cacheExactPrefix(scopeHash)))
          .timeout(timeoutMs, TimeUnit.MILLISECONDS)
          .map(Response::toInteger);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Optional<Outcome> refusal(CacheScope scope) {
    if (!policy.cacheable(scope.intent())) {
      return Optional.of(Outcome.DISABLED_INTENT);
    }
    if (policy.personal(scope.intent()) && scope.userId() == null) {
      return Optional.of(Outcome.MISSING_USER);
    }
    return Optional.empty();
  }

  /** The answers of the candidates above the threshold, in one round trip, then the guards; none: a miss. */
  private Future<CacheLookup> pick(String scopeHash, String question, String normalized, SemanticMatcher.Ranking ranking) {
    if (ranking.candidates().isEmpty()) {
      return Future.succeededFuture(CacheLookup.rejected(Outcome.MISS, ranking.best()));
    }
    List<String> keys = ranking.candidates().stream()
        .map(candidate -> RedisKeys.cacheExact(scopeHash, candidate.questionHash()))
        .toList();
    return redis.mget(keys).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(stored -> {
      Map<String, CachedAnswer> entries = new HashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        Response entry = stored.get(i);
        if (entry != null) {
          entries.put(ranking.candidates().get(i).questionHash(), CachedAnswer.fromJson(new JsonObject(entry.toString())));
        }
      }
      return matcher.pick(question, normalized, ranking, entries, System.currentTimeMillis());
    });
  }

  private static List<SemanticProbe> probes(Response values) {
    List<SemanticProbe> probes = new ArrayList<>();
    if (values != null) {
      for (Response value : values) {
        SemanticProbe probe = SemanticProbe.decode(value.toBytes());
        if (probe != null) {
          probes.add(probe);
        }
      }
    }
    return probes;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
