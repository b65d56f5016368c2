package com.mangaassist.orchestrator;

import com.mangaassist.intent.IntentClassifier;
import com.mangaassist.metrics.StreamingMetrics;
import com.mangaassist.model.ModelClient;
import com.mangaassist.model.PromptLibrary;
import com.mangaassist.model.RoutingTable;
import com.mangaassist.store.SessionStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Everything a turn needs, built once per verticle and shared by all its connections. */
record TurnServices(
    Vertx vertx,
    ModelClient model,
    JsonObject modelIds,
    PromptLibrary prompts,
    RoutingTable routing,
    IntentClassifier intents,
    SessionStore sessions,
    StreamingMetrics metrics,
    StreamingOptions streaming,
    long historyDeadlineMs) {

  /** Bedrock model id for a routing key such as {@code haiku}; unknown keys are taken as full ids. */
  String modelId(String key) {
    return modelIds.getString(key, key);
  }
}
