package com.mangaassist.model;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Intent → model and token budget, from {@code conf/routing.json}: every version the shop has used, and the one
 * that is active. A rollback ({@code mangaassist.ops.rollback}, target {@code routing}) activates an earlier version
 * without a restart.
 */
public final class RoutingTable {

  /** Where one intent goes: a model key ({@code haiku}, {@code sonnet}) and its output budget. */
  public record Route(String model, int maxTokens) {}

  private record Version(int number, Route fallback, JsonObject intents) {}

  private final Map<Integer, Version> versions = new TreeMap<>();
  private volatile Version active;

  /**
   * Accepts {@code {"active":2,"versions":{"1":{…},"2":{…}}}}, or a single table
   * {@code {"version":1,"default":{…},"intents":{…}}}.
   */
  public RoutingTable(JsonObject config) {
    JsonObject all = config.getJsonObject("versions");
    if (all == null) {
      Version only = parse(config.getInteger("version", 1), config);
      versions.put(only.number(), only);
      active = only;
      return;
    }
    for (String key : all.fieldNames()) {
      versions.put(Integer.parseInt(key), parse(Integer.parseInt(key), all.getJsonObject(key)));
    }
    int activeNumber = config.getInteger("active", versions.keySet().stream().max(Integer::compare).orElse(1));
    active = versions.get(activeNumber);
    if (active == null) {
      throw new IllegalArgumentException("routing: active version " + activeNumber + " is not defined");
    }
  }

  private static Version parse(int number, JsonObject table) {
    JsonObject def = table.getJsonObject("default", new JsonObject());
    return new Version(number, new Route(def.getString("model", "haiku"), def.getInteger("maxTokens", 400)),
        table.getJsonObject("intents", new JsonObject()));
  }

  public int version() {
    return active.number();
  }

  /** Makes {@code version} the active table; false when no such version exists (nothing changes then). */
  public boolean activate(int version) {
    Version target = versions.get(version);
    if (target == null) {
      return false;
    }
    active = target;
    return true;
  }

  public Route route(String intent) {
    Version current = active;
    JsonObject entry = current.intents().getJsonObject(intent);
    if (entry == null) {
      return current.fallback();
    }
    return new Route(entry.getString("model", current.fallback().model()),
        entry.getInteger("maxTokens", current.fallback().maxTokens()));
  }
}
