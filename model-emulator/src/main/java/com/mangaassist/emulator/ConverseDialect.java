package com.mangaassist.emulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/**
 * ConverseStream: {@code messageStart}, {@code contentBlockDelta}*, {@code contentBlockStop}, {@code messageStop},
 * {@code metadata}. Like real Bedrock there is no {@code contentBlockStart} for text, and payloads are the bare event
 * structures.
 */
final class ConverseDialect implements StreamDialect {

  private final GenerationPlan plan;
  private final Random paddingRandom;
  private final boolean padding;

  ConverseDialect(GenerationPlan plan, boolean padding) {
    this.plan = plan;
    this.padding = padding;
    this.paddingRandom = new Random(plan.paddingSeed());
  }

  @Override
  public List<Buffer> opening() {
    return List.of(event("messageStart", new JsonObject().put("role", "assistant")));
  }

  @Override
  public Buffer delta(String text) {
    return event("contentBlockDelta", new JsonObject().put("contentBlockIndex", 0)
        .put("delta", new JsonObject().put("text", text)));
  }

  @Override
  public List<Buffer> closing() {
    JsonObject usage = new JsonObject()
        .put("inputTokens", plan.inputTokens())
        .put("outputTokens", plan.outputTokens())
        .put("totalTokens", plan.inputTokens() + plan.outputTokens());
    return List.of(
        event("contentBlockStop", new JsonObject().put("contentBlockIndex", 0)),
        event("messageStop", new JsonObject().put("stopReason", plan.stopReason())),
        event("metadata", new JsonObject().put("usage", usage)
            .put("metrics", new JsonObject().put("latencyMs", plan.invocationLatencyMs()))));
  }

  private Buffer event(String eventType, JsonObject payload) {
    if (padding) {
      payload.put("p", StreamDialect.padding(paddingRandom));
    }
    return EventStreamFrames.event(eventType, payload.encode());
  }
}
