package com.mangaassist.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The streaming meters of the seed design, tagged by intent and model. Histograms publish Prometheus buckets so
 * percentiles can be aggregated across nodes.
 */
public final class StreamingMetrics {

  private final MeterRegistry registry;

  public StreamingMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void firstToken(String intent, String model, double millis) {
    latency("first_token_latency_ms", "query frame received to first chunk written", intent, model).record(millis);
  }

  public void modelFirstToken(String intent, String model, double millis) {
    latency("model_first_token_latency_ms", "model invocation to first text delta", intent, model).record(millis);
  }

  public void serverOverhead(String intent, String model, double millis) {
    latency("server_overhead_ms", "first_token_ms minus model_first_token_ms", intent, model).record(millis);
  }

  public void completed(String intent, String model, double totalMillis, int tokens, int chunks) {
    latency("streaming_total_ms", "query frame received to done", intent, model).record(totalMillis);
    counter("streaming_tokens", intent, model).increment(tokens);
    counter("streaming_chunks_sent", intent, model).increment(chunks);
    if (tokens > 0 && totalMillis > 0) {
      DistributionSummary.builder("tokens_per_second")
          .tags("intent", intent, "model", model)
          .register(registry)
          .record(tokens / (totalMillis / 1000.0));
    }
  }

  /** Everything before the model call: embedding, classification, fan-out, prompt. */
  public void preModel(String intent, double millis) {
    DistributionSummary.builder("pre_model_ms")
        .description("query frame received to model invocation")
        .tags("intent", intent)
        .publishPercentileHistogram()
        .minimumExpectedValue(0.1)
        .maximumExpectedValue(10_000.0)
        .register(registry)
        .record(millis);
  }

  /** One fan-out branch (cache, retrieval, history, profile) ended {@code ok}, {@code dropped} or {@code failed}. */
  public void fanOutBranch(String branch, String outcome) {
    Counter.builder("fanout_branch").tags("branch", branch, "outcome", outcome).register(registry).increment();
  }

  /** A semantic-cache lookup: exact, semantic, miss, or which guard refused a near miss. */
  public void cache(String outcome) {
    Counter.builder("semantic_cache_lookups").tags("outcome", outcome).register(registry).increment();
  }

  /** A check of the session's precomputed answers: served_exact (a clicked suggestion), served, or why not. */
  public void precompute(String outcome) {
    Counter.builder("precompute_lookups").tags("outcome", outcome).register(registry).increment();
  }

  /**
   * A model call started before the question's embedding (EarlyStart): used, abandoned for an answer stored for its
   * meaning, or restarted because the intent by meaning differed. The last two are calls begun and cancelled.
   */
  public void earlyStart(String outcome) {
    Counter.builder("early_model_calls").tags("outcome", outcome).register(registry).increment();
  }

  public void error(String intent, String model, String code) {
    Counter.builder("stream_errors").tags("intent", intent, "model", model, "code", code).register(registry).increment();
  }

  public void cancelled(String intent, String model) {
    counter("stream_cancellations", intent, model).increment();
  }

  private DistributionSummary latency(String name, String description, String intent, String model) {
    return DistributionSummary.builder(name)
        .description(description)
        .tags("intent", intent, "model", model)
        .publishPercentileHistogram()
        .minimumExpectedValue(0.1)
        .maximumExpectedValue(60_000.0)
        .register(registry);
  }

  private Counter counter(String name, String intent, String model) {
    return Counter.builder(name).tags("intent", intent, "model", model).register(registry);
  }
}
