package com.mangaassist.model;

import java.util.List;
import java.util.Map;

/**
 * One generation request in Anthropic Messages terms.
 *
 * @param modelId       full Bedrock model id, e.g. {@code anthropic.claude-3-haiku-20240307-v1:0}
 * @param system        system prompt (never contains user text)
 * @param messages      the conversation, oldest first, ending with the user's turn
 * @param maxTokens     output token limit
 * @param temperature   sampling temperature, 0..1
 * @param stopSequences optional stop sequences (may be empty)
 * @param headers       extra HTTP headers for this invocation (may be empty)
 */
public record ModelRequest(
    String modelId,
    String system,
    List<ChatMessage> messages,
    int maxTokens,
    double temperature,
    List<String> stopSequences,
    Map<String, String> headers) {

  public ModelRequest {
    messages = List.copyOf(messages);
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static ModelRequest of(String modelId, String system, List<ChatMessage> messages, int maxTokens) {
    return new ModelRequest(modelId, system, messages, maxTokens, 0.5, List.of(), Map.of());
  }

  public ModelRequest withHeaders(Map<String, String> extra) {
    return new ModelRequest(modelId, system, messages, maxTokens, temperature, stopSequences, extra);
  }
}
