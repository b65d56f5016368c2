package com.mangaassist.store;

import com.mangaassist.model.ChatMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Chat sessions and their history in Redis. Every call has a deadline, so callers can treat a slow or absent
 * Redis as "no history" and keep answering.
 */
public final class SessionStore {

  private final RedisAPI redis;
  private final long timeoutMs;
  private final int historyTurns;
  private final long ttlSeconds;

  public SessionStore(Redis redis, JsonObject config) {
    this.redis = RedisAPI.api(redis);
    this.timeoutMs = config.getLong("timeoutMs", 200L);
    this.historyTurns = config.getInteger("historyTurns", 10);
    this.ttlSeconds = config.getLong("sessionTtlSeconds", 86_400L);
  }

  /** Records a new session owned by {@code userId}. */
  public Future<Void> create(String sessionId, String userId) {
    String key = RedisKeys.session(sessionId);
    return redis.hset(List.of(key, "userId", userId, "createdAt", Long.toString(System.currentTimeMillis())))
        .compose(r -> redis.expire(List.of(key, Long.toString(ttlSeconds))))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  /** The owner of a session, or null when the session is unknown (expired or never created). */
  public Future<String> owner(String sessionId) {
    return redis.hget(RedisKeys.session(sessionId), "userId")
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(r -> r == null ? null : r.toString());
  }

  /** Remembers the title the conversation is about, so "is it in stock?" resolves after a reconnect too. */
  public Future<Void> rememberTitle(String sessionId, String titleId) {
    return redis.hset(List.of(RedisKeys.session(sessionId), "lastTitle", titleId))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  /** The title discussed last in a session, or null. */
  public Future<String> lastTitle(String sessionId) {
    return redis.hget(RedisKeys.session(sessionId), "lastTitle")
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(r -> r == null ? null : r.toString());
  }

  /** The last turns of the conversation, oldest first. */
  public Future<List<ChatMessage>> history(String sessionId) {
    return redis.lrange(RedisKeys.history(sessionId), Integer.toString(-2 * historyTurns), "-1")
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(SessionStore::toMessages);
  }

  /** Appends one question and its answer, keeping the last {@code historyTurns} turns. */
  public Future<Void> appendTurn(String sessionId, String question, String answer) {
    String key = RedisKeys.history(sessionId);
    String q = new JsonObject().put("role", "user").put("text", question).encode();
    String a = new JsonObject().put("role", "assistant").put("text", answer).encode();
    return redis.rpush(List.of(key, q, a))
        .compose(r -> redis.ltrim(key, Integer.toString(-2 * historyTurns), "-1"))
        .compose(r -> redis.expire(List.of(key, Long.toString(ttlSeconds))))
        .compose(r -> redis.expire(List.of(RedisKeys.session(sessionId), Long.toString(ttlSeconds))))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  public Future<Boolean> ping() {
    return redis.ping(List.of()).timeout(timeoutMs, TimeUnit.MILLISECONDS).map(r -> true);
  }

  private static List<ChatMessage> toMessages(Response list) {
    List<ChatMessage> messages = new ArrayList<>();
    if (list == null) {
      return messages;
    }
    for (Response item : list) {
      JsonObject turn = new JsonObject(item.toString());
      messages.add(new ChatMessage(turn.getString("role"), turn.getString("text")));
    }
    return messages;
  }
}
