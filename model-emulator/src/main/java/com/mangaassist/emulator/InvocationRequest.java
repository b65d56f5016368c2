package com.mangaassist.emulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an Anthropic Messages or Converse request that shape the emulated answer.
 *
 * @param system        system prompt, "" when absent
 * @param messages      conversation turns as (role, text), oldest first
 * @param maxTokens     output token limit
 * @param stopSequences stop sequences, possibly empty
 */
record InvocationRequest(String system, List<Turn> messages, int maxTokens, List<String> stopSequences) {

  record Turn(String role, String text) {}

  static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";

  /** Converse does not require maxTokens; Bedrock then uses the model's limit (4096 for Claude 3). */
  private static final int CONVERSE_DEFAULT_MAX_TOKENS = 4096;

  /** Thrown for a body that Bedrock would refuse with a 400 ValidationException. */
  static final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
      super(message);
    }
  }

  /** The text of the last user turn (where the orchestrator puts the question and the catalog context). */
  String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  /** Rough Claude token count: about four characters per token. */
  int inputTokens() {
    int chars = system.length();
    for (Turn turn : messages) {
      chars += turn.text().length();
    }
    return Math.max(1, (chars + 3) / 4);
  }

  /** A stable summary of the prompt, so answers are deterministic per seed and prompt. */
  String promptKey() {
    StringBuilder key = new StringBuilder(system);
    for (Turn turn : messages) {
      key.append('\u0000').append(turn.role()).append(':').append(turn.text());
    }
    return key.toString();
  }

  /** Parses an InvokeModel* body in Anthropic Messages format. */
  static InvocationRequest fromAnthropic(JsonObject body) {
    if (body == null) {
      throw new InvalidRequest("Malformed input request: body must be a JSON object");
    }
    if (!ANTHROPIC_VERSION.equals(body.getValue("anthropic_version"))) {
      throw new InvalidRequest("Malformed input request: anthropic_version must be " + ANTHROPIC_VERSION);
    }
    int maxTokens = positiveInt(body.getValue("max_tokens"), "max_tokens", -1);
    checkTemperature(body.getValue("temperature"), "temperature");
    String system = textOf(body.getValue("system"), "system", "text");
    JsonArray rawMessages = array(body.getValue("messages"), "messages");
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < rawMessages.size(); i++) {
      JsonObject message = object(rawMessages.getValue(i), "messages[" + i + "]");
      turns.add(new Turn(role(message, i), textOf(message.getValue("content"), "messages[" + i + "].content", "text")));
    }
    return new InvocationRequest(system, requireTurns(turns), maxTokens,
        stopSequences(body.getValue("stop_sequences"), "stop_sequences"));
  }

  /** Parses a ConverseStream body. */
  static InvocationRequest fromConverse(JsonObject body) {
    if (body == null) {
      throw new InvalidRequest("Malformed input request: body must be a JSON object");
    }
    JsonObject inference = body.getValue("inferenceConfig") == null
        ? new JsonObject() : object(body.getValue("inferenceConfig"), "inferenceConfig");
    int maxTokens = positiveInt(inference.getValue("maxTokens"), "inferenceConfig.maxTokens",
        CONVERSE_DEFAULT_MAX_TOKENS);
    checkTemperature(inference.getValue("temperature"), "inferenceConfig.temperature");
    String system = body.getValue("system") == null ? "" : converseText(array(body.getValue("system"), "system"));
    JsonArray rawMessages = array(body.getValue("messages"), "messages");
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < rawMessages.size(); i++) {
      JsonObject message = object(rawMessages.getValue(i), "messages[" + i + "]");
      turns.add(new Turn(role(message, i), converseText(array(message.getValue("content"), "messages[" + i + "].content"))));
    }
    return new InvocationRequest(system, requireTurns(turns), maxTokens,
        stopSequences(inference.getValue("stopSequences"), "inferenceConfig.stopSequences"));
  }

  private static List<Turn> requireTurns(List<Turn> turns) {
    if (turns.isEmpty()) {
      throw new InvalidRequest("Malformed input request: messages must not be empty");
    }
    if (!turns.get(0).role().equals("user")) {
      throw new InvalidRequest("Malformed input request: the first message must use the \"user\" role");
    }
    return List.copyOf(turns);
  }

  private static String role(JsonObject message, int index) {
    Object role = message.getValue("role");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw new InvalidRequest("Malformed input request: messages[" + index + "].role must be user or assistant");
    }
    return (String) role;
  }

  /** Anthropic content: a string or an array of blocks, of which text blocks count. */
  private static String textOf(Object content, String field, String textKey) {
    if (content == null) {
      if (field.equals("system")) {
        return "";
      }
      throw new InvalidRequest("Malformed input request: " + field + " is required");
    }
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof JsonArray blocks) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < blocks.size(); i++) {
        JsonObject block = object(blocks.getValue(i), field + "[" + i + "]");
        if (!(block.getValue("type") instanceof String)) {
          throw new InvalidRequest("Malformed input request: " + field + "[" + i + "].type is required");
        }
        if ("text".equals(block.getString("type"))) {
          if (!(block.getValue(textKey) instanceof String)) {
            throw new InvalidRequest("Malformed input request: " + field + "[" + i + "].text must be a string");
          }
          appendParagraph(text, block.getString(textKey));
        }
      }
      return text.toString();
    }
    throw new InvalidRequest("Malformed input request: " + field + " must be a string or an array of blocks");
  }

  /** Converse content blocks: {@code [{"text": ...}, ...]}; other block kinds are ignored. */
  private static String converseText(JsonArray blocks) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      Object block = blocks.getValue(i);
      if (block instanceof JsonObject json && json.getValue("text") instanceof String part) {
        appendParagraph(text, part);
      }
    }
    return text.toString();
  }

  private static void appendParagraph(StringBuilder text, String part) {
    if (text.length() > 0) {
      text.append("\n\n");
    }
    text.append(part);
  }

  private static List<String> stopSequences(Object raw, String field) {
    if (raw == null) {
      return List.of();
    }
    JsonArray array = array(raw, field);
    List<String> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String s) || s.isEmpty()) {
        throw new InvalidRequest("Malformed input request: " + field + " must contain non-empty strings");
      }
      result.add(s);
    }
    return List.copyOf(result);
  }

  private static int positiveInt(Object raw, String field, int defaultValue) {
    if (raw == null && defaultValue > 0) {
      return defaultValue;
    }
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1
        || n.longValue() > Integer.MAX_VALUE) {
      throw new InvalidRequest("Malformed input request: " + field + " must be an integer >= 1");
    }
    return n.intValue();
  }

  private static void checkTemperature(Object raw, String field) {
    if (raw != null && (!(raw instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1)) {
      throw new InvalidRequest("Malformed input request: " + field + " must be a number between 0 and 1");
    }
  }

  private static JsonArray array(Object raw, String field) {
    if (raw instanceof JsonArray array) {
      return array;
    }
    throw new InvalidRequest("Malformed input request: " + field + " must be an array");
  }

  private static JsonObject object(Object raw, String field) {
    if (raw instanceof JsonObject object) {
      return object;
    }
    throw new InvalidRequest("Malformed input request: " + field + " must be an object");
  }
}
