package com.mangaassist.store;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * One answer in the cache, with what is needed to judge a later question against it.
 *
 * @param embedding the question's L2-normalised embedding, or null for an exact-tier-only entry
 * @param expiresAt absolute expiry (epoch ms) fixed at write: a hit never extends it
 */
public record CachedAnswer(
    String question, String normalizedQuestion, float[] embedding, String answer, JsonObject metadata, long createdAt,
    long expiresAt) {

  public CachedAnswer {
    metadata = metadata == null ? new JsonObject() : metadata;
  }

  public boolean expiredAt(long nowMs) {
    return nowMs >= expiresAt;
  }

  public CachedAnswer withoutEmbedding() {
    return new CachedAnswer(question, normalizedQuestion, null, answer, metadata, createdAt, expiresAt);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("question", question)
        .put("normalized", normalizedQuestion)
        .put("answer", answer)
        .put("metadata", metadata)
        .put("createdAt", createdAt)
        .put("expiresAt", expiresAt);
    if (embedding != null) {
      json.put("embedding", encode(embedding));
    }
    return json;
  }

  public static CachedAnswer fromJson(JsonObject json) {
    String embedding = json.getString("embedding");
    return new CachedAnswer(
        json.getString("question"),
        json.getString("normalized"),
        embedding == null ? null : decode(embedding),
        json.getString("answer"),
        json.getJsonObject("metadata"),
        json.getLong("createdAt", 0L),
        json.getLong("expiresAt", 0L));
  }

  /** Base64 of float32 little-endian: 2 KB for 384 dimensions, against about 4 KB as a JSON array of decimals. */
  static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  static float[] decode(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] vector = new float[bytes.remaining() / Float.BYTES];
    bytes.asFloatBuffer().get(vector);
    return vector;
  }
}
