package com.mangaassist.benchmark.load;

import com.mangaassist.benchmark.client.QueryOutcome;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** What the measured (post-warm-up) queries of a run saw, accumulated as they end. */
final class LoadRecorder {

  private final LatencyHistogram clientFirstToken = new LatencyHistogram();
  private final LatencyHistogram clientTotal = new LatencyHistogram();
  private final LatencyHistogram serverOverhead = new LatencyHistogram();
  private final LatencyHistogram preModel = new LatencyHistogram();
  private final LatencyHistogram modelFirstToken = new LatencyHistogram();
  private final Map<String, Integer> bySource = new TreeMap<>();
  private final Map<String, Integer> errorsByCode = new TreeMap<>();
  private long completed;
  private long errors;
  private long chunks;
  private long chars;

  void record(QueryOutcome outcome) {
    chunks += outcome.chunks();
    chars += outcome.chars();
    if (outcome.ttftNanos() >= 0) {
      clientFirstToken.record(outcome.ttftNanos() / 1e6);
    }
    if (!outcome.succeeded()) {
      errors++;
      errorsByCode.merge(outcome.errorCode(), 1, Integer::sum);
      return;
    }
    completed++;
    clientTotal.record(outcome.totalNanos() / 1e6);
    bySource.merge(String.valueOf(outcome.source()), 1, Integer::sum);
    Double overhead = outcome.serverOverheadMs();
    if (overhead != null) {
      serverOverhead.record(overhead);
    }
    Double model = outcome.metadata().getDouble("model_first_token_ms");
    if (model != null) {
      modelFirstToken.record(model);
    }
    Double beforeModel = outcome.preModelMs();
    if (beforeModel != null) {
      preModel.record(beforeModel);
    }
  }

  long ended() {
    return completed + errors;
  }

  /**
   * {@code client_ttft_ms}: query due → first non-empty chunk, client clock (all answers, any source);
   * {@code server_overhead_ms}: {@code first_token_ms − model_first_token_ms} from {@code done} (model answers only);
   * {@code pre_model_ms}: {@code timings.pre_model_ms}; {@code model_ttft_ms}: the model's own time to first token
   * ({@code model_first_token_ms}: invocation → first delta, as the server saw it); {@code client_total_ms}: due →
   * {@code done}.
   */
  JsonObject toJson(double measuredSeconds) {
    JsonObject sources = new JsonObject();
    bySource.forEach(sources::put);
    JsonObject codes = new JsonObject();
    errorsByCode.forEach(codes::put);
    return new JsonObject()
        .put("completed", completed)
        .put("errors", errors)
        .put("errors_by_code", codes)
        .put("by_source", sources)
        .put("client_ttft_ms", clientFirstToken.toJson())
        .put("server_overhead_ms", serverOverhead.toJson())
        .put("pre_model_ms", preModel.toJson())
        .put("model_ttft_ms", modelFirstToken.toJson())
        .put("client_total_ms", clientTotal.toJson())
        .put("chunks_per_s", Math.round(chunks / measuredSeconds * 10) / 10.0)
        .put("chars_per_s", Math.round(chars / measuredSeconds * 10) / 10.0);
  }
}
