package com.mangaassist.retrieval;

import com.mangaassist.catalog.CatalogTitle;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every word a catalog's searchable fields contain, analysed as questions are (English stemming). A question's word
 * found here is spelled as the catalog spells it, so it needs no typo-tolerant match: building that match (a
 * Levenshtein automaton per word) was half of a search's time (RetrievalBenchmarks, side by side: 985 µs with it for
 * every long word, 672 µs with this rule, 464 µs with no typo matching). Words the catalog does not contain, typos
 * among them, keep it; a typo that happens to spell another catalog word is left to the entity resolver.
 */
public final class CatalogVocabulary {

  /** Before a catalog is indexed: no word is known, so every long word may be a typo. */
  public static final CatalogVocabulary EMPTY = new CatalogVocabulary(Set.of());

  private final Set<String> words;

  private CatalogVocabulary(Set<String> words) {
    this.words = words;
  }

  /** CPU work of a few milliseconds for a few hundred titles: build it where the index is built, off the event loop. */
  public static CatalogVocabulary of(List<CatalogTitle> titles) {
    Set<String> words = new HashSet<>();
    for (CatalogTitle title : titles) {
      for (SearchField field : SearchField.values()) {
        for (String value : field.values(title)) {
          words.addAll(KeywordQuery.analyzedWords(value, Integer.MAX_VALUE));
        }
      }
    }
    return new CatalogVocabulary(Set.copyOf(words));
  }

  public boolean contains(String analyzedWord) {
    return words.contains(analyzedWord);
  }
}
