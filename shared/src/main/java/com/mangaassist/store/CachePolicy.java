package com.mangaassist.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Which intents may be cached and which are personal, from the {@code cache} configuration.
 *
 * <p>Uncacheable by default:
 * <ul>
 *   <li>{@code availability}, {@code purchase}, {@code latest_volume}: their answers quote live stock, prices and
 *       release dates, which change between catalog versions without the question changing. A stale "in stock"
 *       sells a copy the shop does not have; an hour-old answer is worth less than the model call it saves.
 *   <li>{@code order_status}: personal and live (shipping state changes by the hour). Scoping by user would make
 *       it safe from leaks, not fresh. It stays in {@code personalIntents} so that enabling it can never share it.
 *   <li>{@code complaint}: a reply to "my volume arrived damaged" must address this shopper's case; a canned,
 *       repeated answer reads as dismissive, and the intent is too rare to pay back a cache.
 * </ul>
 */
public final class CachePolicy {

  static final List<String> DEFAULT_PERSONAL = List.of("order_status");
  static final List<String> DEFAULT_UNCACHEABLE =
      List.of("availability", "purchase", "latest_volume", "order_status", "complaint");

  private final boolean enabled;
  private final Set<String> personalIntents;
  private final Set<String> uncacheableIntents;

  public CachePolicy(JsonObject config) {
    this.enabled = config.getBoolean("enabled", true);
    this.personalIntents = strings(config.getJsonArray("personalIntents"), DEFAULT_PERSONAL);
    this.uncacheableIntents = strings(config.getJsonArray("uncacheableIntents"), DEFAULT_UNCACHEABLE);
  }

  public boolean cacheable(String intent) {
    return enabled && !uncacheableIntents.contains(intent);
  }

  public boolean personal(String intent) {
    return personalIntents.contains(intent);
  }

  /** The scope of a turn: the user is kept only for personal intents, so everything else is shared. */
  public CacheScope scope(
      String intent, List<String> titleIds, List<Integer> volumes, String promptVersion, int catalogVersion,
      String userId) {
    return new CacheScope(intent, titleIds, volumes, promptVersion, catalogVersion, personal(intent) ? userId : null);
  }

  private static Set<String> strings(JsonArray values, List<String> defaults) {
    if (values == null) {
      return Set.copyOf(defaults);
    }
    return Set.copyOf(values.stream().map(String::valueOf).toList());
  }
}
