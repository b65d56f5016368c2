package com.mangaassist.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** A parsed client → server frame of protocol v1. */
public sealed interface ClientFrame {

  /** Longest accepted query id, so ids stay cheap to echo back. */
  int MAX_ID_LENGTH = 128;

  record Query(String id, String text) implements ClientFrame {}

  record Cancel(String id) implements ClientFrame {}

  record Resume(String sessionId) implements ClientFrame {}

  record Auth(String token) implements ClientFrame {}

  record Ping() implements ClientFrame {}

  /**
   * Parses one text frame. Size limits on the raw frame are enforced by the transport before this is called;
   * {@code maxQueryChars} bounds the question itself.
   */
  static ClientFrame parse(String raw, int maxQueryChars) throws ProtocolException {
    JsonObject json;
    try {
      json = new JsonObject(raw);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not a JSON object", null);
    }
    String id = optionalString(json, "id", null);
    if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "id must be 1.." + MAX_ID_LENGTH + " characters", null);
    }
    String action = optionalString(json, "action", id);
    if (action == null) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"action\"", id);
    }
    switch (action) {
      case "query": {
        String text = requiredString(json, "text", id);
        if (id == null) {
          throw new ProtocolException(ErrorCode.BAD_REQUEST, "a query needs an \"id\"", null);
        }
        if (text.isBlank()) {
          throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"text\" is empty", id);
        }
        if (text.length() > maxQueryChars) {
          throw new ProtocolException(ErrorCode.TOO_LARGE, "text is longer than " + maxQueryChars + " characters", id);
        }
        return new Query(id, text.strip());
      }
      case "cancel":
        if (id == null) {
          throw new ProtocolException(ErrorCode.BAD_REQUEST, "a cancel needs an \"id\"", null);
        }
        return new Cancel(id);
      case "resume":
        return new Resume(requiredString(json, "sessionId", id));
      case "auth":
        return new Auth(requiredString(json, "token", id));
      case "ping":
        return new Ping();
      default:
        throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown action \"" + abbreviate(action) + "\"", id);
    }
  }

  private static String requiredString(JsonObject json, String key, String id) throws ProtocolException {
    String value = optionalString(json, key, id);
    if (value == null) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "missing \"" + key + "\"", id);
    }
    return value;
  }

  private static String optionalString(JsonObject json, String key, String id) throws ProtocolException {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"" + key + "\" must be a string", id);
    }
    return s;
  }

  private static String abbreviate(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "…";
  }
}
