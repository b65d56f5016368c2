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
  private int scannedUpTo;

  CardTracker(List<CatalogTitle> candidates, Integer volume, String imagePattern) {
    this.candidates = List.copyOf(candidates);
    this.volume = volume;
    this.imagePattern = imagePattern;
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
   * Cards for candidates that the answer so far names and that were not sent yet. Only the text after the last
   * scan (plus a name's length of overlap) is searched, so the cost per delta stays small.
   */
  JsonArray cardsNamedIn(CharSequence answer) {
    if (sent.size() == candidates.size()) {
      return new JsonArray();
    }
    String text = answer.toString().toLowerCase(Locale.ROOT);
    List<CatalogTitle> named = new ArrayList<>();
    for (CatalogTitle title : candidates) {
      if (sent.contains(title.titleId())) {
        continue;
      }
      String name = title.title().toLowerCase(Locale.ROOT);
      int from = Math.max(0, scannedUpTo - name.length());
      if (text.indexOf(name, from) >= 0) {
        named.add(title);
      }
    }
    scannedUpTo = text.length();
    return cardsFor(named);
  }

  int sentCount() {
    return sent.size();
  }
}
