package com.mangaassist.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shopper profiles in Redis ({@code ma:profile:{userId}}, one JSON document with a TTL). Keyed by user, so a
 * profile follows its owner across sessions and nodes and is never read for anyone else.
 */
public final class ProfileStore {

  private static final int MAX_LIKED = 20;
  private static final int TOP_GENRES = 3;

  private final RedisAPI redis;
  private final long timeoutMs;
  private final long ttlSeconds;

  public ProfileStore(Redis redis, JsonObject config) {
    this.redis = RedisAPI.api(redis);
    this.timeoutMs = config.getLong("timeoutMs", 200L);
    this.ttlSeconds = config.getLong("profileTtlSeconds", 30L * 86_400);
  }

  public Future<ShopperProfile> load(String userId) {
    return redis.get(RedisKeys.profile(userId))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(r -> r == null ? ShopperProfile.EMPTY : toProfile(new JsonObject(r.toString())));
  }

  /**
   * Adds liked titles (most recent first) and counts their genres. Read-modify-write without a lock: two turns of
   * one user racing can lose one increment, which a preference profile tolerates.
   */
  public Future<Void> recordLiked(String userId, List<String> titleIds, Map<String, List<String>> genresByTitle) {
    if (titleIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String key = RedisKeys.profile(userId);
    return redis.get(key).timeout(timeoutMs, TimeUnit.MILLISECONDS).compose(r -> {
      JsonObject doc = r == null ? new JsonObject() : new JsonObject(r.toString());
      LinkedHashSet<String> liked = new LinkedHashSet<>(titleIds);
      doc.getJsonArray("liked", new JsonArray()).forEach(id -> liked.add(id.toString()));
      JsonObject genres = doc.getJsonObject("genres", new JsonObject());
      for (String titleId : titleIds) {
        for (String genre : genresByTitle.getOrDefault(titleId, List.of())) {
          genres.put(genre, genres.getInteger(genre, 0) + 1);
        }
      }
      JsonObject updated = new JsonObject()
          .put("liked", new JsonArray(new ArrayList<>(liked).subList(0, Math.min(MAX_LIKED, liked.size()))))
          .put("genres", genres);
      return redis.set(List.of(key, updated.encode(), "EX", Long.toString(ttlSeconds)))
          .timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }).mapEmpty();
  }

  private static ShopperProfile toProfile(JsonObject doc) {
    List<String> liked = new ArrayList<>();
    doc.getJsonArray("liked", new JsonArray()).forEach(id -> liked.add(id.toString()));
    JsonObject genres = doc.getJsonObject("genres", new JsonObject());
    List<String> top = genres.fieldNames().stream()
        .sorted(Comparator.comparing((String g) -> -genres.getInteger(g)).thenComparing(g -> g))
        .limit(TOP_GENRES)
        .toList();
    return new ShopperProfile(liked, top);
  }

}
