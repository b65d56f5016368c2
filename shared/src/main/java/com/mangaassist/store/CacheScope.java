package com.mangaassist.store;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The hard partition of the semantic cache: two questions are only ever compared when every field is equal. This
 * is the lesson of the public semantic caches that leaked answers across tenants by scoping "softly" through the
 * embedding: here similarity decides only inside a scope, never which scope.
 *
 * @param titleIds resolved catalog entities, sorted and de-duplicated so their order in the question does not matter
 * @param volumes volume numbers, sorted and de-duplicated
 * @param userId the owner for personal intents only; null means the answer is shared by every shopper
 */
public record CacheScope(
    String intent, List<String> titleIds, List<Integer> volumes, String promptVersion, int catalogVersion, String userId) {

  /**
   * What the semantic tier embeds: the question with its titles masked ({@code PrecomputeMatcher.matchText} of
   * {@code EntityResolver.maskTitles}). Part of the key so that entries embedded any other way are never compared.
   */
  public static final String EMBEDDED_TEXT = "masked-question";

  public CacheScope {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(promptVersion, "promptVersion");
    titleIds = titleIds == null ? List.of() : List.copyOf(new TreeSet<>(titleIds));
    volumes = volumes == null ? List.of() : List.copyOf(new TreeSet<>(volumes));
  }

  /**
   * A stable hash of every field. The fields are encoded as a JSON array, not joined with a separator, so no two
   * different scopes can produce the same text ("a,b" + "c" vs "a" + "b,c").
   */
  public String key() {
    JsonArray canonical = new JsonArray()
        .add(EMBEDDED_TEXT)
        .add(intent)
        .add(new JsonArray(List.copyOf(titleIds)))
        .add(new JsonArray(List.copyOf(volumes)))
        .add(promptVersion)
        .add(catalogVersion)
        .add(userId);
    // 128 bits are plenty against collisions and keep keys short.
    return Sha256Hex.of(canonical.encode()).substring(0, 32);
  }
}
