package com.mangaassist.emulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * InvokeModelWithResponseStream: every frame is a {@code chunk} whose base64 {@code bytes} hold one Anthropic
 * Messages streaming event, ending with {@code message_stop} carrying {@code amazon-bedrock-invocationMetrics}.
 */
final class AnthropicChunkDialect implements StreamDialect {

  private final GenerationPlan plan;
  private final Random paddingRandom;
  private final boolean padding;

  AnthropicChunkDialect(GenerationPlan plan, boolean padding) {
    this.plan = plan;
    this.padding = padding;
    this.paddingRandom = new Random(plan.paddingSeed());
  }

  @Override
  public List<Buffer> opening() {
    JsonObject message = new JsonObject()
        .put("id", plan.messageId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", plan.anthropicModelName())
        .put("content", new io.vertx.core.json.JsonArray())
        .put("stop_reason", null)
        .put("stop_sequence", null)
        .put("usage", new JsonObject().put("input_tokens", plan.inputTokens()).put("output_tokens", 1));
    return List.of(
        chunk(new JsonObject().put("type", "message_start").put("message", message)),
        chunk(new JsonObject().put("type", "content_block_start").put("index", 0)
            .put("content_block", new JsonObject().put("type", "text").put("text", ""))));
  }

  @Override
  public Buffer delta(String text) {
    return chunk(new JsonObject().put("type", "content_block_delta").put("index", 0)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
  }

  @Override
  public List<Buffer> closing() {
    return List.of(
        chunk(new JsonObject().put("type", "content_block_stop").put("index", 0)),
        chunk(new JsonObject().put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", plan.stopReason()).put("stop_sequence", plan.stopSequence()))
            .put("usage", new JsonObject().put("output_tokens", plan.outputTokens()))),
        chunk(new JsonObject().put("type", "message_stop").put("amazon-bedrock-invocationMetrics", invocationMetrics(plan))));
  }

  static JsonObject invocationMetrics(GenerationPlan plan) {
    return new JsonObject()
        .put("inputTokenCount", plan.inputTokens())
        .put("outputTokenCount", plan.outputTokens())
        .put("invocationLatency", plan.invocationLatencyMs())
        .put("firstByteLatency", plan.firstByteLatencyMs());
  }

  /** The complete (non-streaming) InvokeModel response body. */
  static JsonObject completeMessage(GenerationPlan plan) {
    return new JsonObject()
        .put("id", plan.messageId())
        .put("type", "message")
        .put("role", "assistant")
        .put("model", plan.anthropicModelName())
        .put("content", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "text").put("text", plan.text())))
        .put("stop_reason", plan.stopReason())
        .put("stop_sequence", plan.stopSequence())
        .put("usage", new JsonObject().put("input_tokens", plan.inputTokens()).put("output_tokens", plan.outputTokens()));
  }

  private Buffer chunk(JsonObject anthropicEvent) {
    return EventStreamFrames.chunk(anthropicEvent.encode(), padding ? StreamDialect.padding(paddingRandom) : null);
  }
}
