package com.mangaassist.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One catalog line the orchestrator put into the prompt, e.g.
 * {@code title: One Piece | author: Eiichiro Oda | volume: 108 | priceJpy: 528 | inStock: true}.
 * Keys are kept lower-cased; fields may vary from line to line.
 */
record CatalogItem(Map<String, String> fields) {

  static final String OPEN_TAG = "<catalog>";
  static final String CLOSE_TAG = "</catalog>";

  String field(String... keys) {
    for (String key : keys) {
      String value = fields.get(key.toLowerCase(Locale.ROOT));
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  /** Parses one {@code key: value | key: value} line; returns null for a line without any pair. */
  static CatalogItem parseLine(String line) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : line.split("\\|")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        fields.put(part.substring(0, colon).trim().toLowerCase(Locale.ROOT), part.substring(colon + 1).trim());
      }
    }
    return fields.isEmpty() ? null : new CatalogItem(Map.copyOf(fields));
  }

  /** All items between the {@code <catalog>} and {@code </catalog>} lines of {@code text}. */
  static List<CatalogItem> parseAll(String text) {
    List<CatalogItem> items = new ArrayList<>();
    boolean inside = false;
    for (String line : text.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.equalsIgnoreCase(OPEN_TAG)) {
        inside = true;
      } else if (trimmed.equalsIgnoreCase(CLOSE_TAG)) {
        inside = false;
      } else if (inside && !trimmed.isEmpty()) {
        CatalogItem item = parseLine(trimmed);
        if (item != null) {
          items.add(item);
        }
      }
    }
    return items;
  }

  /** The user's own words: the text with the catalog block removed. */
  static String withoutCatalog(String text) {
    StringBuilder kept = new StringBuilder();
    boolean inside = false;
    for (String line : text.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.equalsIgnoreCase(OPEN_TAG)) {
        inside = true;
      } else if (trimmed.equalsIgnoreCase(CLOSE_TAG)) {
        inside = false;
      } else if (!inside) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString().trim();
  }
}
