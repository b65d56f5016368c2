package com.mangaassist.precompute;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogContext;
import com.mangaassist.catalog.CatalogTitle;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers built from the live catalog without a model call (stock, latest volume, price and where to buy), and the
 * catalog context of prose answers in the orchestrator's {@code <catalog>} format. Pure functions of a snapshot.
 */
final class CatalogAnswers {

  private CatalogAnswers() {}

  /** The templated answer for a data intent, or null when the intent is not one. */
  static String answer(String intent, CatalogTitle t) {
    return switch (intent) {
      case "availability" -> availability(t);
      case "latest_volume" -> latestVolume(t);
      case "purchase" -> purchase(t);
      default -> null;
    };
  }

  private static String availability(CatalogTitle t) {
    int latest = t.latestVolume();
    int copies = t.stockOf(latest);
    long inStock = t.stock().values().stream().filter(n -> n > 0).count();
    StringBuilder s = new StringBuilder();
    if (copies > 0) {
      s.append("Yes: ").append(t.title()).append(" vol. ").append(latest).append(", the latest, is in stock (")
          .append(copies).append(copies == 1 ? " copy" : " copies").append(").");
    } else {
      s.append(t.title()).append(" vol. ").append(latest).append(", the latest, is out of stock right now.");
    }
    s.append(' ').append(inStock).append(" of its ").append(t.volumes()).append(" volumes are in stock, at ¥")
        .append(t.priceJpy()).append(" each. Ask about a volume number for its exact stock.");
    return s.toString();
  }

  private static String latestVolume(CatalogTitle t) {
    StringBuilder s = new StringBuilder("The latest volume of ").append(t.title()).append(" is vol. ")
        .append(t.latestVolume());
    if (t.latestReleaseDate() != null) {
      s.append(", released on ").append(t.latestReleaseDate());
    }
    s.append('.');
    if ("ongoing".equalsIgnoreCase(t.status())) {
      s.append(" The series is ongoing; our catalog has no release date for vol. ").append(t.latestVolume() + 1)
          .append(" yet.");
    } else {
      s.append(" The series is ").append(t.status().isBlank() ? "finished" : t.status()).append(" at ")
          .append(t.volumes()).append(" volumes.");
    }
    int copies = t.stockOf(t.latestVolume());
    s.append(" Vol. ").append(t.latestVolume()).append(copies > 0 ? " is in stock" : " is out of stock")
        .append(", ¥").append(t.priceJpy()).append('.');
    return s.toString();
  }

  private static String purchase(CatalogTitle t) {
    int latest = t.latestVolume();
    int copies = t.stockOf(latest);
    return "You can buy " + t.title() + " right here: every volume is ¥" + t.priceJpy() + ". Vol. " + latest
        + (copies > 0 ? " is in stock (" + copies + (copies == 1 ? " copy" : " copies") + ")"
            : " is out of stock at the moment")
        + ". Add it to your cart from the card below, or ask for a volume number.";
  }

  /** Titles sharing the most genres with {@code t} (then the same demographic), for a similar-titles prompt. */
  static List<CatalogTitle> similar(Catalog catalog, CatalogTitle t, int limit) {
    Set<String> genres = new HashSet<>(t.genres());
    return catalog.titles().stream()
        .filter(o -> !o.titleId().equals(t.titleId()))
        .filter(o -> o.genres().stream().anyMatch(genres::contains))
        .sorted(Comparator.<CatalogTitle>comparingLong(o -> o.genres().stream().filter(genres::contains).count())
            .reversed()
            .thenComparing(o -> o.demographic().equals(t.demographic()) ? 0 : 1)
            .thenComparing(CatalogTitle::titleId))
        .limit(limit)
        .toList();
  }

  /** The user message of a prose generation: the {@code <catalog>} block the orchestrator also sends, then the question. */
  static String userMessage(List<CatalogTitle> context, String question) {
    return CatalogContext.appendBlock(new StringBuilder(256 + 200 * context.size()), context, null)
        .append(question).toString();
  }
}
