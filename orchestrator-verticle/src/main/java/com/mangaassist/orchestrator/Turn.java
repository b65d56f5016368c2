package com.mangaassist.orchestrator;

import com.mangaassist.bus.Addresses;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelCompletion;
import com.mangaassist.model.ModelFailure;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.model.ModelStream;
import com.mangaassist.model.ModelStreamListener;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.protocol.ErrorCode;
import com.mangaassist.protocol.ServerFrames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One query, from its frame to its single terminal frame: status at once, classify, history (with a deadline),
 * prompt, model stream written as chunks, then {@code done} and {@code mangaassist.turn.completed}.
 * Runs entirely on the connection's event loop.
 */
final class Turn implements ModelStreamListener {

  private static final Logger LOG = LoggerFactory.getLogger(Turn.class);

  private final TurnServices services;
  private final ClientConnection connection;
  private final String queryId;
  private final String text;
  private final long receivedNanos;
  private final AnswerWriter writer;
  private final StringBuilder answer = new StringBuilder();
  private final JsonObject timings = new JsonObject();

  private String intent = "unknown";
  private String modelKey;
  private ModelStream modelStream;
  private long invokedNanos;
  private long firstChunkNanos;
  private long modelFirstDeltaNanos;
  private int deltas;
  private boolean ended;

  Turn(TurnServices services, ClientConnection connection, String queryId, String text) {
    this.services = services;
    this.connection = connection;
    this.queryId = queryId;
    this.text = text;
    this.receivedNanos = System.nanoTime();
    this.writer = new AnswerWriter(services.vertx(), connection, queryId, services.streaming());
  }

  String queryId() {
    return queryId;
  }

  void start() {
    connection.write(ServerFrames.status(queryId, "received", "Working on your request..."));
    long t0 = System.nanoTime();
    intent = services.intents().classify(text);
    timings.put("classify_ms", millisSince(t0));
    connection.write(ServerFrames.status(queryId, "generating", StatusMessages.forIntent(intent)));

    long fanoutStart = System.nanoTime();
    services.sessions().history(connection.sessionId())
        .timeout(services.historyDeadlineMs(), TimeUnit.MILLISECONDS)
        .otherwise(err -> {
          // a late or failed branch is dropped, not waited for: answer without history
          timings.put("history_dropped", true);
          return List.of();
        })
        .onSuccess(history -> {
          timings.put("fanout_ms", millisSince(fanoutStart));
          invokeModel(history);
        });
  }

  /** The shopper cancelled, or the connection went away. */
  void cancel(boolean connectionGone) {
    if (ended) {
      return;
    }
    if (modelStream != null) {
      modelStream.cancel();
    }
    services.metrics().cancelled(intent, modelLabel());
    if (connectionGone) {
      ended = true;
      writer.abandon();
      return;
    }
    end(ServerFrames.done(queryId, metadata(null).put("cancelled", true)));
  }

  private void invokeModel(List<ChatMessage> history) {
    if (ended) {
      return;
    }
    long promptStart = System.nanoTime();
    RoutingTable.Route route = services.routing().route(intent);
    modelKey = route.model();
    List<ChatMessage> messages = new ArrayList<>(history);
    messages.add(ChatMessage.user(text));
    ModelRequest request = ModelRequest.of(
        services.modelId(modelKey), services.prompts().systemPrompt(intent), messages, route.maxTokens());
    timings.put("prompt_ms", millisSince(promptStart));
    invokedNanos = System.nanoTime();
    timings.put("pre_model_ms", millis(invokedNanos - receivedNanos));
    modelStream = services.model().stream(request, this);
  }

  @Override
  public void onDelta(String delta) {
    if (ended) {
      return;
    }
    deltas++;
    answer.append(delta);
    if (modelFirstDeltaNanos == 0) {
      modelFirstDeltaNanos = System.nanoTime();
    }
    if (writer.delta(delta) && firstChunkNanos == 0) {
      firstChunkNanos = System.nanoTime();
    }
  }

  @Override
  public void onComplete(ModelCompletion completion) {
    if (ended) {
      return;
    }
    if (firstChunkNanos == 0 && answer.length() > 0) {
      firstChunkNanos = System.nanoTime();
    }
    JsonObject metadata = metadata(completion);
    end(ServerFrames.done(queryId, metadata));
    recordCompletion(metadata);
    publishCompleted();
  }

  @Override
  public void onError(ModelFailure failure) {
    if (ended) {
      return;
    }
    ErrorCode code = switch (failure.kind()) {
      case THROTTLED -> ErrorCode.THROTTLED;
      case TIMEOUT -> ErrorCode.TIMEOUT;
      case MODEL_ERROR, VALIDATION -> ErrorCode.MODEL_ERROR;
      case INTERNAL -> ErrorCode.INTERNAL;
    };
    LOG.info("query {} failed: {} {}", queryId, failure.kind(), failure.message());
    services.metrics().error(intent, modelLabel(), code.wireName());
    String message = failure.afterFirstToken()
        ? "The answer was interrupted: " + failure.message()
        : failure.message();
    end(ServerFrames.error(queryId, code, message, failure.retryable()));
  }

  private void end(String terminalFrame) {
    ended = true;
    writer.finish(terminalFrame);
    connection.turnEnded(this);
  }

  private JsonObject metadata(ModelCompletion completion) {
    long now = System.nanoTime();
    Double firstTokenMs = firstChunkNanos == 0 ? null : millis(firstChunkNanos - receivedNanos);
    Double modelFirstTokenMs = modelFirstDeltaNanos == 0 ? null : millis(modelFirstDeltaNanos - invokedNanos);
    return new JsonObject()
        .put("source", "model")
        .put("intent", intent)
        .put("entities", new JsonArray())
        .put("model", modelKey)
        .put("first_token_ms", firstTokenMs)
        .put("model_first_token_ms", modelFirstTokenMs)
        .put("total_ms", millis(now - receivedNanos))
        .put("tokens", completion != null && completion.outputTokens() >= 0 ? completion.outputTokens() : deltas)
        .put("chunks", writer.chunksSent())
        .put("stop_reason", completion == null ? null : completion.stopReason())
        .put("cancelled", false)
        .put("prompt_version", services.prompts().version())
        .put("routing_version", services.routing().version())
        .put("timings", timings.copy());
  }

  private void recordCompletion(JsonObject metadata) {
    String model = modelLabel();
    Double firstToken = metadata.getDouble("first_token_ms");
    Double modelFirstToken = metadata.getDouble("model_first_token_ms");
    if (firstToken != null) {
      services.metrics().firstToken(intent, model, firstToken);
    }
    if (modelFirstToken != null) {
      services.metrics().modelFirstToken(intent, model, modelFirstToken);
    }
    if (firstToken != null && modelFirstToken != null) {
      services.metrics().serverOverhead(intent, model, firstToken - modelFirstToken);
    }
    services.metrics().completed(intent, model, metadata.getDouble("total_ms"), metadata.getInteger("tokens"),
        metadata.getInteger("chunks"));
  }

  private void publishCompleted() {
    String sessionId = connection.sessionId();
    services.sessions().appendTurn(sessionId, text, answer.toString())
        .onFailure(e -> LOG.debug("history not saved for session {}: {}", sessionId, e.getMessage()));
    services.vertx().eventBus().publish(Addresses.TURN_COMPLETED, new JsonObject()
        .put("sessionId", sessionId)
        .put("userId", connection.userId())
        .put("queryId", queryId)
        .put("text", text)
        .put("intent", intent)
        .put("entities", new JsonArray())
        .put("answer", answer.toString())
        .put("source", "model")
        .put("model", modelKey)
        .put("at", Instant.now().toString()));
  }

  private String modelLabel() {
    return modelKey == null ? "none" : modelKey;
  }

  private static double millisSince(long startNanos) {
    return millis(System.nanoTime() - startNanos);
  }

  /** Milliseconds with microsecond resolution: server overhead is measured in fractions of a millisecond. */
  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
