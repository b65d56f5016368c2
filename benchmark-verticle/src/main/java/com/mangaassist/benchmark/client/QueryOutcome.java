package com.mangaassist.benchmark.client;

import io.vertx.core.json.JsonObject;

/**
 * What a shopper saw of one query, timed on the client: from {@code startNanos} (when the query was meant to be
 * sent, so a late send counts against the system) to the first non-empty chunk and to the terminal frame.
 *
 * @param ttftNanos client time to first token, or -1 when no text arrived
 * @param totalNanos time to {@code done} or {@code error}
 * @param chunks chunk frames received
 * @param chars characters of answer text received
 * @param metadata {@code done.metadata}, or null when the query ended in an error
 * @param errorCode the error frame's code, {@code client_timeout} or {@code connection_closed}; null on success
 */
public record QueryOutcome(String id, long ttftNanos, long totalNanos, int chunks, long chars, JsonObject metadata,
    String errorCode, String errorMessage) {

  public boolean succeeded() {
    return errorCode == null;
  }

  /** {@code done.metadata.source}: model, cache or precomputed; null on error. */
  public String source() {
    return metadata == null ? null : metadata.getString("source");
  }

  /** Server overhead {@code first_token_ms − model_first_token_ms} (DESIGN.md §3), or null when no model ran. */
  public Double serverOverheadMs() {
    if (metadata == null) {
      return null;
    }
    Double first = metadata.getDouble("first_token_ms");
    Double modelFirst = metadata.getDouble("model_first_token_ms");
    return first == null || modelFirst == null ? null : first - modelFirst;
  }

  /** {@code timings.pre_model_ms}: frame received to model call; null when no model was called. */
  public Double preModelMs() {
    JsonObject timings = metadata == null ? null : metadata.getJsonObject("timings");
    return timings == null ? null : timings.getDouble("pre_model_ms");
  }
}
