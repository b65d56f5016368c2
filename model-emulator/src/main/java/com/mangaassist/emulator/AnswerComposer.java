package com.mangaassist.emulator;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Writes a plausible shop-assistant answer from the prompt: it recommends the catalog items the orchestrator
 * retrieved (with price and stock when given) or, without catalog context, a friendly generic answer that echoes the
 * question. The wording varies with {@code random}, which the caller seeds from the config seed and the prompt.
 */
final class AnswerComposer {

  private static final int MAX_ITEMS = 5;
  private static final int MAX_TOPIC_WORDS = 12;
  private static final Pattern GREETING =
      Pattern.compile("(?i)^(hi|hello|hey|ping|yo|good (morning|afternoon|evening)|konnichiwa)\\b.*");

  private static final List<String> SINGLE_OPENERS = List.of(
      "Good news! ", "Great pick! ", "Happy to help! ");
  private static final List<String> LIST_OPENERS = List.of(
      "Here are some picks from our shelves that match what you're looking for:",
      "Happy to help! From our catalog, I'd suggest:",
      "Great question! Based on our catalog, here's what I'd recommend:");
  private static final List<String> CLOSERS = List.of(
      "Would you like me to add one of these to your cart?",
      "Let me know if you'd like more details about any of these titles.",
      "Shall I check the other volumes in the series for you?");

  String compose(InvocationRequest request, Random random) {
    String userText = request.lastUserText();
    List<CatalogItem> items = CatalogItem.parseAll(userText);
    String question = CatalogItem.withoutCatalog(userText);
    if (!items.isEmpty()) {
      return catalogAnswer(items, random);
    }
    if (question.length() < 3 || GREETING.matcher(question).matches()) {
      return "Hello! I'm the MangaAssist shop assistant. How can I help you find your next manga today?";
    }
    return genericAnswer(question, random);
  }

  private String catalogAnswer(List<CatalogItem> items, Random random) {
    StringBuilder answer = new StringBuilder();
    if (items.size() == 1) {
      CatalogItem item = items.get(0);
      answer.append(pick(SINGLE_OPENERS, random)).append("We carry ").append(describe(item)).append('.');
      String offer = offer(item);
      if (!offer.isEmpty()) {
        answer.append(' ').append(Character.toUpperCase(offer.charAt(0))).append(offer.substring(1)).append('.');
      }
      String synopsis = item.field("synopsis", "description", "summary");
      if (synopsis != null) {
        answer.append(' ').append(synopsis);
      }
    } else {
      answer.append(pick(LIST_OPENERS, random)).append("\n\n");
      int shown = Math.min(MAX_ITEMS, items.size());
      for (int i = 0; i < shown; i++) {
        CatalogItem item = items.get(i);
        answer.append(i + 1).append(". ").append(describe(item));
        String offer = offer(item);
        if (!offer.isEmpty()) {
          answer.append(" - ").append(offer);
        }
        answer.append(".\n");
      }
      if (items.size() > shown) {
        answer.append("\nI found ").append(items.size() - shown).append(" more matching titles as well.\n");
      }
      answer.append('\n');
    }
    String restock = firstOutOfStockTitle(items);
    if (restock != null) {
      answer.append(items.size() == 1 ? " " : "")
          .append("I can let you know as soon as ").append(restock).append(" is back in stock. ");
    } else if (items.size() == 1) {
      answer.append(' ');
    }
    answer.append(pick(CLOSERS, random));
    return answer.toString();
  }

  private String genericAnswer(String question, Random random) {
    return "Thanks for your question about \"" + topic(question) + "\"! "
        + "I couldn't find a specific match in our catalog just now, but our shop stocks a wide range of manga, "
        + "from long-running shonen adventures to slice-of-life, romance and classic seinen series. "
        + "If you tell me a series, author or genre you enjoy, I can suggest specific volumes, "
        + "check their prices in yen and confirm what is in stock. "
        + pick(List.of("What have you enjoyed reading lately?", "Is there a series you are already following?",
            "Are you shopping for yourself or looking for a gift?"), random);
  }

  /** "One Piece vol. 108 by Eiichiro Oda (adventure)". */
  private static String describe(CatalogItem item) {
    String title = item.field("title", "name", "series");
    StringBuilder text = new StringBuilder(title != null ? title : String.join(", ", item.fields().values()));
    String volume = item.field("volume", "vol");
    if (volume != null) {
      text.append(" vol. ").append(volume);
    }
    String author = item.field("author", "authors", "mangaka");
    if (author != null) {
      text.append(" by ").append(author);
    }
    String genre = item.field("genre", "genres");
    if (genre != null) {
      text.append(" (").append(genre.toLowerCase(Locale.ROOT)).append(')');
    }
    return text.toString();
  }

  /** "it costs ¥528 and is in stock, ready to ship" - whatever of price and stock the line carries. */
  private static String offer(CatalogItem item) {
    String price = item.field("priceJpy", "price", "priceyen");
    Boolean inStock = stock(item);
    StringBuilder text = new StringBuilder();
    if (price != null) {
      text.append("it costs \u00a5").append(price);
    }
    if (inStock != null) {
      text.append(text.length() > 0 ? " and is " : "it is ")
          .append(inStock ? "in stock, ready to ship" : "currently out of stock");
    }
    return text.toString();
  }

  private static Boolean stock(CatalogItem item) {
    String raw = item.field("inStock", "stock", "available");
    if (raw == null) {
      return null;
    }
    String value = raw.toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("yes")) {
      return true;
    }
    if (value.equals("false") || value.equals("no") || value.equals("0")) {
      return false;
    }
    return value.chars().allMatch(Character::isDigit) ? Boolean.TRUE : null;
  }

  private static String firstOutOfStockTitle(List<CatalogItem> items) {
    return items.stream()
        .filter(item -> Boolean.FALSE.equals(stock(item)))
        .map(item -> item.field("title", "name", "series"))
        .filter(title -> title != null)
        .findFirst()
        .orElse(null);
  }

  private static String topic(String question) {
    String[] words = question.replaceAll("\\s+", " ").trim().split(" ");
    String topic = String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, MAX_TOPIC_WORDS)));
    if (words.length > MAX_TOPIC_WORDS) {
      topic += "...";
    }
    return topic.replaceAll("[?.!\\s]+$", "");
  }

  private static String pick(List<String> options, Random random) {
    return options.get(random.nextInt(options.size()));
  }
}
