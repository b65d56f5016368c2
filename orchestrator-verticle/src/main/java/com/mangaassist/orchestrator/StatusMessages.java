package com.mangaassist.orchestrator;

import java.util.Map;

/** What the shopper reads while the answer is being prepared, per intent (the seed's wording). */
final class StatusMessages {

  private static final Map<String, String> BY_INTENT = Map.of(
      "recommendation", "Looking up manga recommendations for you...",
      "product_search", "Searching our manga catalog...",
      "product_info", "Looking up manga for you...",
      "order_status", "Checking your order status...",
      "comparison", "Analyzing both titles for you...",
      "complaint", "I understand your concern. Looking into this...",
      "faq", "Let me find that answer...",
      "availability", "Checking stock for you...",
      "latest_volume", "Checking the latest releases...",
      "purchase", "Finding where you can buy it...");

  private StatusMessages() {}

  static String forIntent(String intent) {
    return BY_INTENT.getOrDefault(intent, "Working on your request...");
  }
}
