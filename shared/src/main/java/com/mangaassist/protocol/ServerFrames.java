package com.mangaassist.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builders for server → client frames of protocol v1, encoded once to the text that goes on the wire. */
public final class ServerFrames {

  private ServerFrames() {}

  public static String ready(String sessionId, boolean resumed) {
    return new JsonObject().put("type", "ready").put("sessionId", sessionId).put("resumed", resumed).encode();
  }

  public static String status(String id, String phase, String message) {
    return new JsonObject().put("type", "status").put("id", id).put("phase", phase).put("message", message).encode();
  }

  public static String chunk(String id, long seq, String text) {
    return new JsonObject().put("type", "chunk").put("id", id).put("seq", seq).put("text", text).encode();
  }

  public static String cards(String id, JsonArray items) {
    return new JsonObject().put("type", "cards").put("id", id).put("items", items).encode();
  }

  public static String suggestions(String id, JsonArray items) {
    return new JsonObject().put("type", "suggestions").put("id", id).put("items", items).encode();
  }

  public static String done(String id, JsonObject metadata) {
    return new JsonObject().put("type", "done").put("id", id).put("metadata", metadata).encode();
  }

  /** An error frame; {@code id} may be null when the offending frame could not be parsed. */
  public static String error(String id, ErrorCode code, String message, boolean retryable) {
    JsonObject frame = new JsonObject().put("type", "error");
    if (id != null) {
      frame.put("id", id);
    }
    return frame.put("code", code.wireName()).put("message", message).put("retryable", retryable).encode();
  }

  public static String error(String id, ErrorCode code, String message) {
    return error(id, code, message, code.retryableByDefault());
  }

  public static String pong() {
    return "{\"type\":\"pong\"}";
  }
}
