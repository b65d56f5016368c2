package com.mangaassist.intent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A first, rule-based classifier: the first intent whose keyword occurs in the question wins. Rules come from
 * {@code conf/intents.json} ({@code {"default":"product_search","rules":[{"intent":…,"keywords":[…]}]}}).
 */
public final class KeywordIntentClassifier implements IntentClassifier {

  private record Rule(String intent, List<String> keywords) {}

  private final List<Rule> rules;
  private final String defaultIntent;

  public KeywordIntentClassifier(JsonObject config) {
    this.defaultIntent = config.getString("default", "product_search");
    List<Rule> parsed = new ArrayList<>();
    for (Object item : config.getJsonArray("rules", new JsonArray())) {
      JsonObject rule = (JsonObject) item;
      List<String> keywords = new ArrayList<>();
      rule.getJsonArray("keywords", new JsonArray()).forEach(k -> keywords.add(k.toString().toLowerCase(Locale.ROOT)));
      parsed.add(new Rule(rule.getString("intent"), List.copyOf(keywords)));
    }
    this.rules = List.copyOf(parsed);
  }

  @Override
  public String classify(String text) {
    String padded = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ") + " ";
    for (Rule rule : rules) {
      for (String keyword : rule.keywords()) {
        if (padded.contains(" " + keyword + " ")) {
          return rule.intent();
        }
      }
    }
    return defaultIntent;
  }
}
