package com.mangaassist.benchmark.synthetic;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shopper questions made up per intent from templates × catalog titles × phrasings ({@code conf/bench/synthetic.json}),
 * drawn with a seed so that two runs ask the same questions. Used by synthetic replay (so every intent is measured
 * with the same number of samples) and as the default load mix (intents in proportion to their weights).
 */
public final class SyntheticQueries {

  /** One made-up question, with what it is about (null titleId for questions about no title). */
  public record Query(String intent, String text, String titleId) {}

  private final Map<String, List<String>> templates;
  private final Map<String, Double> weights;
  private final List<CatalogTitle> titles;
  private final SplittableRandom random;

  SyntheticQueries(Map<String, List<String>> templates, Map<String, Double> weights, Catalog catalog, long seed) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("no intents with templates");
    }
    if (catalog.titles().isEmpty()) {
      throw new IllegalArgumentException("the catalog is empty");
    }
    this.templates = templates;
    this.weights = weights;
    this.titles = catalog.titles();
    this.random = new SplittableRandom(seed);
  }

  /** Reads the template file; a missing or malformed entry is an error naming the intent. */
  public static SyntheticQueries load(Path file, Catalog catalog, long seed) throws IOException {
    JsonObject intents = new JsonObject(Files.readString(file)).getJsonObject("intents");
    if (intents == null) {
      throw new IllegalArgumentException(file + ": no \"intents\" object");
    }
    Map<String, List<String>> templates = new LinkedHashMap<>();
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String intent : intents.fieldNames()) {
      JsonObject entry = intents.getJsonObject(intent);
      JsonArray list = entry.getJsonArray("templates", new JsonArray());
      if (list.isEmpty()) {
        throw new IllegalArgumentException(file + ": intent " + intent + " has no templates");
      }
      List<String> texts = new ArrayList<>();
      list.forEach(t -> texts.add(t.toString()));
      templates.put(intent, List.copyOf(texts));
      weights.put(intent, entry.getDouble("weight", 1.0));
    }
    return new SyntheticQueries(templates, weights, catalog, seed);
  }

  public List<String> intents() {
    return List.copyOf(templates.keySet());
  }

  /** The next question of {@code intent}: a random template filled from a random title. */
  public Query next(String intent) {
    List<String> forIntent = templates.get(intent);
    if (forIntent == null) {
      throw new IllegalArgumentException("no templates for intent " + intent);
    }
    String template = forIntent.get(random.nextInt(forIntent.size()));
    CatalogTitle title = titles.get(random.nextInt(titles.size()));
    CatalogTitle other = titles.get(random.nextInt(titles.size()));
    if (other.titleId().equals(title.titleId())) {
      other = titles.get((titles.indexOf(title) + 1) % titles.size());
    }
    boolean aboutTitle = template.contains("{title}") || template.contains("{volume}");
    String text = template
        .replace("{title2}", other.title())
        .replace("{title}", title.title())
        .replace("{volume}", String.valueOf(1 + random.nextInt(Math.max(1, title.latestVolume()))))
        .replace("{genre}", title.genres().isEmpty() ? "action" : title.genres().get(random.nextInt(title.genres().size())))
        .replace("{author}", title.author())
        .replace("{order}", String.valueOf(10_000 + random.nextInt(90_000)));
    return new Query(intent, text, aboutTitle ? title.titleId() : null);
  }

  /** The next question of an intent drawn by weight (the traffic mix of a shop). */
  public Query nextByWeight() {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double point = random.nextDouble() * total;
    String chosen = null;
    for (Map.Entry<String, Double> entry : weights.entrySet()) {
      chosen = entry.getKey();
      point -= entry.getValue();
      if (point < 0) {
        break;
      }
    }
    return next(chosen);
  }
}
