package com.mangaassist.store;

import io.vertx.core.json.JsonObject;

/**
 * One answer in the cache, with the question it answers (the near-miss guards compare questions). The question's
 * embedding is kept apart, in the scope's {@link SemanticProbe}s.
 *
 * @param expiresAt absolute expiry (epoch ms) fixed at write: a hit never extends it
 */
public record CachedAnswer(
    String question, String normalizedQuestion, String answer, JsonObject metadata, long createdAt, long expiresAt) {

  public CachedAnswer {
    metadata = metadata == null ? new JsonObject() : metadata;
  }

  public boolean expiredAt(long nowMs) {
    return nowMs >= expiresAt;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("question", question)
        .put("normalized", normalizedQuestion)
        .put("answer", answer)
        .put("metadata", metadata)
        .put("createdAt", createdAt)
        .put("expiresAt", expiresAt);
  }

  public static CachedAnswer fromJson(JsonObject json) {
    return new CachedAnswer(
        json.getString("question"),
        json.getString("normalized"),
        json.getString("answer"),
        json.getJsonObject("metadata"),
        json.getLong("createdAt", 0L),
        json.getLong("expiresAt", 0L));
  }
}
