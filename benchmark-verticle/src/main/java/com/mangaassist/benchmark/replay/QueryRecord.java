package com.mangaassist.benchmark.replay;

import com.mangaassist.benchmark.client.QueryOutcome;
import io.vertx.core.json.JsonObject;

/**
 * One replayed question and what came back, for the run file's per-query detail.
 *
 * @param intent the intent the question was made up for
 * @param text the question as sent (with its unique reference)
 * @param warmup whether it was a discarded warm-up question
 * @param outcome what the client saw
 */
public record QueryRecord(String intent, String text, boolean warmup, QueryOutcome outcome) {

  /** Client figures plus the server's own account ({@code done.metadata}) of where the time went. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text)
        .put("ttft_ms", outcome.ttftNanos() < 0 ? null : outcome.ttftNanos() / 1e6)
        .put("total_ms", outcome.totalNanos() / 1e6)
        .put("error", outcome.errorCode());
    JsonObject metadata = outcome.metadata();
    if (metadata != null) {
      json.put("intent_classified", metadata.getString("intent"))
          .put("source", metadata.getValue("source"))
          .put("model", metadata.getValue("model"))
          .put("server_first_token_ms", metadata.getValue("first_token_ms"))
          .put("model_first_token_ms", metadata.getValue("model_first_token_ms"))
          .put("server_overhead_ms", outcome.serverOverheadMs())
          .put("pre_model_ms", outcome.preModelMs())
          .put("prompt_version", metadata.getValue("prompt_version"))
          .put("routing_version", metadata.getValue("routing_version"));
    }
    return json;
  }
}
