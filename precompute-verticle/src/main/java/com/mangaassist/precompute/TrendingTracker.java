package com.mangaassist.precompute;

import com.mangaassist.store.QuestionNormalizer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What shoppers ask most right now: time-decayed counts of normalized, non-personal questions in the Redis sorted
 * set {@code ma:trending} (shared by every precompute instance).
 *
 * <p>Forward decay: an occurrence at time {@code t} adds {@code e^(rate·(t − landmark))} to its question's score,
 * with {@code rate = ln(1/decay) / window}, so that an occurrence one window old counts {@code decay} times one
 * asked now; the decayed count at {@code now} is {@code score · e^(−rate·(now − landmark))}. Scores never need
 * rewriting as time passes; when the exponent grows large the set is rescaled once and the landmark moves. Questions
 * whose decayed count fell below {@code minCount} leave the set (the sliding window), and it keeps at most
 * {@code maxTracked} members: when full, the least asked other questions leave (a question just asked always stays,
 * or a newcomer could never get in).
 *
 * <p>A member is the question with its scope: {@code {"q": normalized text, "intent", "titleIds", "volumes"}}.
 */
public final class TrendingTracker {

  public static final String DEFAULT_KEY = "ma:trending";

  /** A trending question and its decayed count now. */
  public record Trending(String question, String intent, List<String> titleIds, List<Integer> volumes, double count) {}

  /** Adds the occurrence, drops what decayed away, trims the set; rescales when the exponent exceeds 200. */
  private static final String RECORD_SCRIPT = String.join("\n",
      "local now = tonumber(ARGV[1])",
      "local rate = tonumber(ARGV[2])",
      "local lm = tonumber(redis.call('GET', KEYS[2]) or '')",
      "if not lm then lm = now; redis.call('SET', KEYS[2], ARGV[1]) end",
      "local e = rate * (now - lm)",
      "if e > 200 then",
      "  redis.call('ZUNIONSTORE', KEYS[1], 1, KEYS[1], 'WEIGHTS', tostring(math.exp(-e)))",
      "  redis.call('SET', KEYS[2], ARGV[1])",
      "  e = 0",
      "end",
      "local w = math.exp(e)",
      "redis.call('ZINCRBY', KEYS[1], tostring(w), ARGV[3])",
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. tostring(tonumber(ARGV[4]) * w))",
      "local n = redis.call('ZCARD', KEYS[1])",
      "local max = tonumber(ARGV[5])",
      // full: the least asked others leave, never the question just asked (a newcomer would always be the least)
      "if n > max then",
      "  local excess = n - max",
      "  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, excess)) do",
      "    if excess > 0 and m ~= ARGV[3] then redis.call('ZREM', KEYS[1], m); excess = excess - 1 end",
      "  end",
      "end",
      "return 1");

  /** The landmark, then member and score pairs, highest first. */
  private static final String TOP_SCRIPT = String.join("\n",
      "local lm = redis.call('GET', KEYS[2])",
      "if not lm then return {} end",
      "local out = {lm}",
      "local items = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')",
      "for i = 1, #items do out[#out + 1] = tostring(items[i]) end",
      "return out");

  private final RedisAPI redis;
  private final String key;
  private final double rate;
  private final double minCount;
  private final int maxTracked;
  private final long timeoutMs;
  private final Set<String> excludedIntents;

  /**
   * @param conf the {@code trending} block: {@code windowMinutes} (60), {@code decay} (0.5 per window),
   *     {@code minCount} (0.1), {@code maxTracked} (10000), {@code key} ({@value #DEFAULT_KEY})
   * @param personalIntents intents whose questions are about one shopper and are never counted
   */
  public TrendingTracker(RedisAPI redis, JsonObject conf, Collection<String> personalIntents, long timeoutMs) {
    this.redis = redis;
    this.key = conf.getString("key", DEFAULT_KEY);
    double windowMs = TimeUnit.MINUTES.toMillis(conf.getLong("windowMinutes", 60L));
    double decay = conf.getDouble("decay", 0.5);
    if (windowMs <= 0 || decay <= 0 || decay > 1) {
      throw new IllegalArgumentException("trending: windowMinutes > 0 and decay in (0, 1] required");
    }
    this.rate = Math.log(1 / decay) / windowMs;
    this.minCount = conf.getDouble("minCount", 0.1);
    this.maxTracked = conf.getInteger("maxTracked", 10_000);
    this.timeoutMs = timeoutMs;
    this.excludedIntents = Set.copyOf(personalIntents);
  }

  /** Counts a completed turn's question; personal intents and empty questions are not counted (false). */
  public Future<Boolean> record(String text, String intent, List<String> titleIds, List<Integer> volumes, long nowMs) {
    String normalized = QuestionNormalizer.normalize(text);
    if (normalized.isEmpty() || intent == null || excludedIntents.contains(intent)) {
      return Future.succeededFuture(false);
    }
    String member = new JsonObject().put("q", normalized).put("intent", intent)
        .put("titleIds", new JsonArray(new ArrayList<>(titleIds))).put("volumes", new JsonArray(new ArrayList<>(volumes)))
        .encode();
    return redis.eval(List.of(RECORD_SCRIPT, "2", key, key + ":landmark", Long.toString(nowMs), Double.toString(rate),
            member, Double.toString(minCount), Integer.toString(maxTracked)))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(r -> true);
  }

  /** The {@code n} most asked questions now, highest decayed count first. */
  public Future<List<Trending>> top(int n, long nowMs) {
    return redis.eval(List.of(TOP_SCRIPT, "2", key, key + ":landmark", Integer.toString(Math.max(1, n))))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(response -> parse(response, nowMs));
  }

  private List<Trending> parse(Response response, long nowMs) {
    List<Trending> trending = new ArrayList<>();
    if (response == null || response.size() == 0) {
      return trending;
    }
    double landmark = Double.parseDouble(response.get(0).toString());
    double scale = Math.exp(-rate * (nowMs - landmark));
    for (int i = 1; i + 1 < response.size(); i += 2) {
      JsonObject member = new JsonObject(response.get(i).toString());
      double count = Double.parseDouble(response.get(i + 1).toString()) * scale;
      List<String> titles = new ArrayList<>();
      member.getJsonArray("titleIds", new JsonArray()).forEach(t -> titles.add(String.valueOf(t)));
      List<Integer> volumes = new ArrayList<>();
      member.getJsonArray("volumes", new JsonArray()).forEach(v -> volumes.add(((Number) v).intValue()));
      trending.add(new Trending(member.getString("q"), member.getString("intent"), titles, volumes, count));
    }
    return trending;
  }
}
