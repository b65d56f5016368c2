package com.mangaassist.orchestrator;

import com.mangaassist.catalog.CatalogTitle;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Product cards of one answer: the ones known before the text, then one more each time the streamed text names
 * another candidate title, so the shopper can open title #1 while #3 is still being written.
 */
final class CardTracker {

  private final List<CatalogTitle> candidates;
  private final Integer volume;
  private final String imagePattern;
  private final Set<String> sent = new LinkedHashSet<>();
  private final int longestName;
  private int scannedUpTo;

  CardTracker(List<CatalogTitle> candidates, Integer volume, String imagePattern) {
    this.candidates = List.copyOf(candidates);
    this.volume = volume;
    this.imagePattern = imagePattern;
    this.longestName = candidates.stream().mapToInt(t -> t.title().length()).max().orElse(0);
  }

  /** Cards for these titles now (not sent before); empty when there is nothing new. */
  JsonArray cardsFor(List<CatalogTitle> titles) {
    JsonArray cards = new JsonArray();
    for (CatalogTitle title : titles) {
      if (sent.add(title.titleId())) {
        cards.add(title.card(volume, imagePattern));
      }
    }
    return cards;
  }

  /**
   * Cards for candidates that the answer so far names and that were not sent yet; the cost per delta is the
   * length of the delta, not of the answer.
   */
  JsonArray cardsNamedIn(CharSequence answer) {
    if (sent.size() == candidates.size()) {
      return new JsonArray();
    }
    // only the text since the last scan, plus a name's length of overlap, is lowercased and searched
    int from = Math.max(0, scannedUpTo - longestName);
    String tail = answer.subSequence(from, answer.length()).toString().toLowerCase(Locale.ROOT);
    List<CatalogTitle> named = new ArrayList<>();
    for (CatalogTitle title : candidates) {
      if (!sent.contains(title.titleId()) && tail.contains(title.title().toLowerCase(Locale.ROOT))) {
        named.add(title);
      }
    }
    scannedUpTo = answer.length();
    return cardsFor(named);
  }

  int sentCount() {
    return sent.size();
  }
}
