package com.mangaassist.model;

import io.vertx.core.json.JsonObject;

/**
 * Intent → model and token budget, from {@code conf/routing.json}. Versioned so a rollback can name the version
 * it returns to.
 */
public final class RoutingTable {

  /** Where one intent goes: a model key ({@code haiku}, {@code sonnet}) and its output budget. */
  public record Route(String model, int maxTokens) {}

  private final int version;
  private final Route fallback;
  private final JsonObject intents;

  public RoutingTable(JsonObject config) {
    this.version = config.getInteger("version", 1);
    JsonObject def = config.getJsonObject("default", new JsonObject());
    this.fallback = new Route(def.getString("model", "haiku"), def.getInteger("maxTokens", 400));
    this.intents = config.getJsonObject("intents", new JsonObject());
  }

  public int version() {
    return version;
  }

  public Route route(String intent) {
    JsonObject entry = intents.getJsonObject(intent);
    if (entry == null) {
      return fallback;
    }
    return new Route(entry.getString("model", fallback.model()), entry.getInteger("maxTokens", fallback.maxTokens()));
  }
}
