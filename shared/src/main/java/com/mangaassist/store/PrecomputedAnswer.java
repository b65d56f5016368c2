package com.mangaassist.store;

import com.mangaassist.embed.Vectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An answer generated ahead of time for a follow-up this session is predicted to ask.
 *
 * @param id             stable per (session, intent, titles, volumes, question): regenerating replaces, never duplicates
 * @param triggerQueryId the turn whose completion led to this prediction
 * @param question       the predicted question (templated, e.g. "Where can I buy One Piece?"): the suggestion shown
 * @param maskedQuestion the same with titles masked ({@code EntityResolver.maskTitles}): what matching compares
 * @param titleIds       resolved titles the answer is about (invalidated when any of them changes in the catalog)
 * @param embedding      the predicted question's L2-normalised embedding (may be null: such an entry never serves)
 * @param cards          product cards to send with the answer (may be empty)
 * @param source         {@code catalog} (templated from live data) or {@code model} (generated on Haiku)
 * @param tokens         background output tokens the answer cost (0 for catalog answers)
 * @param expiresAt      absolute expiry (epoch ms) fixed at write: serving never extends it
 * @param cue            a regular expression the shopper's (normalised, title-masked) question must contain for this
 *                       answer to serve, or null: what tells apart answers of one intent about one title ("how much is
 *                       one volume?" and "how many volumes are there?" are both {@code product_info})
 * @param volumeAnswers  for a question about any single volume ({@code question} holds {@value #VOLUME_PLACEHOLDER}):
 *                       the answer for each volume number; empty otherwise. Such an entry serves a question about
 *                       exactly one of these volumes, as if it had been written for that volume ({@link #forVolume})
 */
public record PrecomputedAnswer(
    String id,
    String sessionId,
    String triggerQueryId,
    String question,
    String maskedQuestion,
    String intent,
    List<String> titleIds,
    List<Integer> volumes,
    float[] embedding,
    String answer,
    JsonArray cards,
    String source,
    int tokens,
    long createdAt,
    long expiresAt,
    String cue,
    Map<Integer, String> volumeAnswers) {

  public static final String SOURCE_CATALOG = "catalog";
  public static final String SOURCE_MODEL = "model";
  /** Stands for the volume number in the question of a per-volume entry. */
  public static final String VOLUME_PLACEHOLDER = "{volume}";

  public PrecomputedAnswer {
    titleIds = titleIds == null ? List.of() : List.copyOf(titleIds);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    cards = cards == null ? new JsonArray() : cards;
    volumeAnswers = volumeAnswers == null ? Map.of() : Map.copyOf(volumeAnswers);
  }

  /** An answer to one question, without a cue or per-volume answers. */
  public PrecomputedAnswer(String id, String sessionId, String triggerQueryId, String question, String maskedQuestion,
      String intent, List<String> titleIds, List<Integer> volumes, float[] embedding, String answer, JsonArray cards,
      String source, int tokens, long createdAt, long expiresAt) {
    this(id, sessionId, triggerQueryId, question, maskedQuestion, intent, titleIds, volumes, embedding, answer, cards,
        source, tokens, createdAt, expiresAt, null, Map.of());
  }

  public boolean perVolume() {
    return !volumeAnswers.isEmpty();
  }

  /**
   * This per-volume entry as the answer to a question about {@code volume}: its question and answer for that volume,
   * {@code volumes} = [volume]; null when the entry has no answer for that volume.
   */
  public PrecomputedAnswer forVolume(int volume) {
    String text = volumeAnswers.get(volume);
    if (text == null) {
      return null;
    }
    String number = Integer.toString(volume);
    return new PrecomputedAnswer(id, sessionId, triggerQueryId, question.replace(VOLUME_PLACEHOLDER, number),
        maskedQuestion == null ? null : maskedQuestion.replace(VOLUME_PLACEHOLDER, number), intent, titleIds,
        List.of(volume), embedding, text, cards, source, tokens, createdAt, expiresAt, cue, Map.of());
  }

  /** The stable id of a predicted question about these titles: a regeneration replaces the entry. */
  public static String idFor(String intent, List<String> titleIds, String question) {
    return Sha256Hex.of(intent + "|" + String.join(",", titleIds) + "|" + question).substring(0, 24);
  }

  public boolean expiredAt(long nowMs) {
    return nowMs >= expiresAt;
  }

  /** The same answer with new timestamps (the store fixes them at write). */
  public PrecomputedAnswer withTimes(long created, long expires) {
    return new PrecomputedAnswer(id, sessionId, triggerQueryId, question, maskedQuestion, intent, titleIds, volumes, embedding, answer,
        cards, source, tokens, created, expires, cue, volumeAnswers);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("sessionId", sessionId)
        .put("triggerQueryId", triggerQueryId)
        .put("question", question)
        .put("maskedQuestion", maskedQuestion)
        .put("intent", intent)
        .put("titleIds", new JsonArray(new ArrayList<>(titleIds)))
        .put("volumes", new JsonArray(new ArrayList<>(volumes)))
        .put("answer", answer)
        .put("cards", cards)
        .put("source", source)
        .put("tokens", tokens)
        .put("createdAt", createdAt)
        .put("expiresAt", expiresAt);
    if (embedding != null) {
      json.put("embedding", encode(embedding));
    }
    if (cue != null) {
      json.put("cue", cue);
    }
    if (!volumeAnswers.isEmpty()) {
      JsonObject byVolume = new JsonObject();
      volumeAnswers.forEach((volume, text) -> byVolume.put(Integer.toString(volume), text));
      json.put("volumeAnswers", byVolume);
    }
    return json;
  }

  public static PrecomputedAnswer fromJson(JsonObject json) {
    String embedding = json.getString("embedding");
    List<String> titles = new ArrayList<>();
    json.getJsonArray("titleIds", new JsonArray()).forEach(t -> titles.add(String.valueOf(t)));
    List<Integer> volumes = new ArrayList<>();
    json.getJsonArray("volumes", new JsonArray()).forEach(v -> volumes.add(((Number) v).intValue()));
    return new PrecomputedAnswer(
        json.getString("id"),
        json.getString("sessionId"),
        json.getString("triggerQueryId"),
        json.getString("question"),
        json.getString("maskedQuestion"),
        json.getString("intent"),
        titles,
        volumes,
        embedding == null ? null : decode(embedding),
        json.getString("answer"),
        json.getJsonArray("cards", new JsonArray()),
        json.getString("source"),
        json.getInteger("tokens", 0),
        json.getLong("createdAt", 0L),
        json.getLong("expiresAt", 0L),
        json.getString("cue"),
        volumeAnswers(json.getJsonObject("volumeAnswers")));
  }

  private static Map<Integer, String> volumeAnswers(JsonObject json) {
    if (json == null) {
      return Map.of();
    }
    Map<Integer, String> byVolume = new HashMap<>();
    json.forEach(e -> byVolume.put(Integer.parseInt(e.getKey()), String.valueOf(e.getValue())));
    return byVolume;
  }

  /** Base64 of float32 little-endian: 2 KB for 384 dimensions, against about 4 KB as a JSON array of decimals. */
  static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES);
    Vectors.write(vector, bytes);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  static float[] decode(String base64) {
    return Vectors.read(ByteBuffer.wrap(Base64.getDecoder().decode(base64)));
  }
}
