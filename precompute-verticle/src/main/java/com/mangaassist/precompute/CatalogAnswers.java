package com.mangaassist.precompute;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogContext;
import com.mangaassist.catalog.CatalogTitle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers built from the live catalog without a model call (stock, latest volume, price, volume count, where to buy,
 * a title's details, titles like it, a genre's titles), and the catalog context of prose answers in the
 * orchestrator's {@code <catalog>} format. Pure functions of a snapshot.
 */
final class CatalogAnswers {

  private CatalogAnswers() {}

  /** Kinds answered for a single volume: {@link #forVolume}. */
  static final Set<String> PER_VOLUME_KINDS = Set.of("volume_price", "volume_stock");

  /**
   * The answer of a catalog kind about a title ({@code purchase}, {@code availability}, {@code latest_volume},
   * {@code price}, {@code volume_count}, {@code details}, {@code similar}), or null when {@code kind} is none of them.
   */
  static String answer(String kind, CatalogTitle t, Catalog catalog, int similarTitles) {
    return switch (kind) {
      case "availability" -> availability(t);
      case "latest_volume" -> latestVolume(t);
      case "purchase" -> purchase(t);
      case "price" -> price(t);
      case "volume_count" -> volumeCount(t);
      case "details" -> details(t);
      case "similar" -> similarList(t, similar(catalog, t, similarTitles));
      default -> null;
    };
  }

  /** True when {@link #answer} or {@link #forVolume} knows this kind. */
  static boolean known(String kind) {
    return PER_VOLUME_KINDS.contains(kind) || Set.of("availability", "latest_volume", "purchase", "price",
        "volume_count", "details", "similar").contains(kind);
  }

  /**
   * The answer of a per-volume kind for each volume of the title the shop lists (1 to its volume count, at most
   * {@code maxVolumes}); empty when {@code kind} is not a per-volume kind.
   */
  static Map<Integer, String> forVolume(String kind, CatalogTitle t, int maxVolumes) {
    Map<Integer, String> answers = new TreeMap<>();
    if (!PER_VOLUME_KINDS.contains(kind)) {
      return answers;
    }
    for (int volume = 1; volume <= Math.min(Math.max(t.volumes(), t.latestVolume()), maxVolumes); volume++) {
      answers.put(volume, volumeFacts(t, volume, "volume_price".equals(kind)));
    }
    return answers;
  }

  /** Price and stock of one volume: the two things a question about "volume 3" is after. */
  private static String volumeFacts(CatalogTitle t, int volume, boolean priceFirst) {
    int copies = t.stockOf(volume);
    String stock = copies > 0 ? "in stock (" + copies + (copies == 1 ? " copy)" : " copies)") : "out of stock right now";
    return priceFirst
        ? "Vol. " + volume + " of " + t.title() + " is ¥" + t.priceJpy() + ", and it is " + stock + "."
        : "Vol. " + volume + " of " + t.title() + " is " + stock + ", at ¥" + t.priceJpy() + ".";
  }

  private static String price(CatalogTitle t) {
    int latest = t.latestVolume();
    return "Every volume of " + t.title() + " is ¥" + t.priceJpy() + " (tax included). " + volumesSoFar(t)
        + " Vol. " + latest + (t.stockOf(latest) > 0 ? " is in stock." : " is out of stock right now.")
        + " Ask about a volume number for its own stock.";
  }

  private static String volumeCount(CatalogTitle t) {
    return volumesSoFar(t) + " Every volume is ¥" + t.priceJpy() + "; "
        + volumesInStock(t) + " of them are in stock right now.";
  }

  private static String volumesSoFar(CatalogTitle t) {
    boolean ongoing = "ongoing".equalsIgnoreCase(t.status());
    return t.title() + (ongoing ? " is ongoing, with " + t.volumes() + " volumes so far" : " is " + finished(t)
        + ", complete in " + t.volumes() + " volumes") + " (the latest is vol. " + t.latestVolume() + ").";
  }

  private static String finished(CatalogTitle t) {
    return t.status().isBlank() ? "finished" : t.status();
  }

  /** The title's facts: who, what, how long, how much. A shopper asking for more has had the overview already. */
  private static String details(CatalogTitle t) {
    StringBuilder s = new StringBuilder(t.title());
    if (!t.romaji().isBlank() && !t.romaji().equalsIgnoreCase(t.title())) {
      s.append(" (").append(t.romaji()).append(')');
    }
    s.append(" is a ").append(t.demographic().isBlank() ? "" : t.demographic() + " ")
        .append(String.join(", ", t.genres())).append(" manga by ").append(t.author());
    if (!t.publisher().isBlank()) {
      s.append(", published by ").append(t.publisher());
    }
    if (t.startYear() > 0) {
      s.append(" since ").append(t.startYear());
    }
    s.append(". ").append(t.synopsis().isBlank() ? "" : t.synopsis() + " ").append(volumesSoFar(t))
        .append(" Every volume is ¥").append(t.priceJpy()).append('.');
    return s.toString();
  }

  private static String similarList(CatalogTitle t, List<CatalogTitle> similar) {
    if (similar.isEmpty()) {
      return null;
    }
    StringBuilder s = new StringBuilder("If you like ").append(t.title()).append(", try these from our shop: ");
    for (int i = 0; i < similar.size(); i++) {
      CatalogTitle o = similar.get(i);
      s.append(i == 0 ? "" : "; ").append(o.title()).append(" by ").append(o.author()).append(" (")
          .append(String.join(", ", o.genres().stream().filter(t.genres()::contains).toList())).append(", ")
          .append(o.volumes()).append(o.volumes() == 1 ? " volume" : " volumes").append(')');
    }
    return s.append(". Ask about any of them for more.").toString();
  }

  /**
   * Titles of one genre for a shopper who leans to it, those they already like left out: titles sharing more of
   * their favourite genres first, then those with more volumes in stock.
   */
  static List<CatalogTitle> browse(Catalog catalog, String genre, List<String> favouriteGenres, Set<String> liked,
      int limit) {
    Set<String> favourites = new HashSet<>(favouriteGenres);
    List<Ranked> ranked = new ArrayList<>();
    for (CatalogTitle o : catalog.titles()) {
      if (o.genres().contains(genre) && !liked.contains(o.titleId())) {
        ranked.add(new Ranked(o, sharedGenres(o, favourites), volumesInStock(o)));
      }
    }
    return best(ranked, limit);
  }

  /** The answer listing a genre's titles ({@link #browse}). */
  static String browseAnswer(String genreLabel, List<CatalogTitle> titles) {
    StringBuilder s = new StringBuilder("Some ").append(genreLabel).append(" manga from our shop: ");
    for (int i = 0; i < titles.size(); i++) {
      CatalogTitle o = titles.get(i);
      s.append(i == 0 ? "" : "; ").append(o.title()).append(" by ").append(o.author()).append(" (")
          .append(o.volumes()).append(o.volumes() == 1 ? " volume" : " volumes").append(", ¥").append(o.priceJpy())
          .append(')');
    }
    return s.append(". Ask about any of them for more.").toString();
  }

  private static String availability(CatalogTitle t) {
    int latest = t.latestVolume();
    int copies = t.stockOf(latest);
    int inStock = volumesInStock(t);
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
    List<Ranked> ranked = new ArrayList<>();
    for (CatalogTitle o : catalog.titles()) {
      int shared = o.titleId().equals(t.titleId()) ? 0 : sharedGenres(o, genres);
      if (shared > 0) {
        ranked.add(new Ranked(o, shared, o.demographic().equals(t.demographic()) ? 1 : 0));
      }
    }
    return best(ranked, limit);
  }

  /*
   * The ranking keys are computed once per title: comparators that counted shared genres with a stream on every
   * comparison made the precompute verticle's largest share of garbage and event-loop time under load.
   */
  private record Ranked(CatalogTitle title, int sharedGenres, int tieBreak) {}

  /** More shared genres first, then the higher tie-break (volumes in stock; same demographic), then by title id. */
  private static final Comparator<Ranked> RANKING = Comparator.comparingInt(Ranked::sharedGenres)
      .thenComparingInt(Ranked::tieBreak).reversed()
      .thenComparing(r -> r.title().titleId());

  private static List<CatalogTitle> best(List<Ranked> ranked, int limit) {
    ranked.sort(RANKING);
    List<CatalogTitle> titles = new ArrayList<>(Math.min(limit, ranked.size()));
    for (int i = 0; i < ranked.size() && i < limit; i++) {
      titles.add(ranked.get(i).title());
    }
    return List.copyOf(titles);
  }

  private static int sharedGenres(CatalogTitle o, Set<String> genres) {
    int shared = 0;
    for (String genre : o.genres()) {
      if (genres.contains(genre)) {
        shared++;
      }
    }
    return shared;
  }

  private static int volumesInStock(CatalogTitle t) {
    int inStock = 0;
    for (int copies : t.stock().values()) {
      if (copies > 0) {
        inStock++;
      }
    }
    return inStock;
  }

  /** The user message of a prose generation: the {@code <catalog>} block the orchestrator also sends, then the question. */
  static String userMessage(List<CatalogTitle> context, String question) {
    return CatalogContext.appendBlock(new StringBuilder(256 + 200 * context.size()), context, null)
        .append(question).toString();
  }
}
