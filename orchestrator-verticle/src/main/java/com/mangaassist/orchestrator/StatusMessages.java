package com.mangaassist.orchestrator;

import java.util.Map;

/** What the shopper reads while the answer is being prepared, per intent and phase (the seed's wording). */
final class StatusMessages {

  static final String RECEIVED = "Working on your request...";
  static final String GENERATING = "Writing your answer...";

  private static final Map<String, String> BY_INTENT = Map.ofEntries(
      Map.entry("greeting", "Hello! One moment..."),
      Map.entry("recommendation", "Looking up manga recommendations for you..."),
      Map.entry("product_search", "Searching our manga catalog..."),
      Map.entry("product_info", "Looking up manga for you..."),
      Map.entry("order_status", "Checking your order status..."),
      Map.entry("comparison", "Analyzing both titles for you..."),
      Map.entry("complaint", "I understand your concern. Looking into this..."),
      Map.entry("faq", "Let me find that answer..."),
      Map.entry("availability", "Checking stock for you..."),
      Map.entry("latest_volume", "Checking the latest releases..."),
      Map.entry("purchase", "Finding the best way to buy it..."));

  private StatusMessages() {}

  /** The message of the retrieval phase, once the intent is known. */
  static String forIntent(String intent) {
    return BY_INTENT.getOrDefault(intent, RECEIVED);
  }
}
