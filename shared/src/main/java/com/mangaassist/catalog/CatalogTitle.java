package com.mangaassist.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One manga series of the shop's catalog, as in {@code conf/catalog/catalog.json}.
 *
 * @param stock copies in stock per volume number
 */
public record CatalogTitle(
    String titleId,
    String title,
    String romaji,
    List<String> aliases,
    String author,
    List<String> genres,
    String demographic,
    String status,
    String publisher,
    int startYear,
    int volumes,
    int latestVolume,
    LocalDate latestReleaseDate,
    int priceJpy,
    Map<Integer, Integer> stock,
    String synopsis) {

  public CatalogTitle {
    aliases = List.copyOf(aliases);
    genres = List.copyOf(genres);
    stock = Map.copyOf(stock);
  }

  public static CatalogTitle fromJson(JsonObject json) {
    Map<Integer, Integer> stock = new TreeMap<>();
    json.getJsonObject("stock", new JsonObject()).forEach(e -> stock.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).intValue()));
    JsonObject latest = json.getJsonObject("latestVolume", new JsonObject());
    String released = latest.getString("releaseDate");
    return new CatalogTitle(
        json.getString("titleId"),
        json.getString("title"),
        json.getString("romaji", ""),
        strings(json.getJsonArray("aliases")),
        json.getString("author", ""),
        strings(json.getJsonArray("genres")),
        json.getString("demographic", ""),
        json.getString("status", ""),
        json.getString("publisher", ""),
        json.getInteger("startYear", 0),
        json.getInteger("volumes", 0),
        latest.getInteger("number", json.getInteger("volumes", 0)),
        released == null ? null : LocalDate.parse(released),
        json.getInteger("priceJpy", 0),
        stock,
        json.getString("synopsis", ""));
  }

  /** Copies of one volume in stock (0 for a volume the shop does not carry). */
  public int stockOf(int volume) {
    return stock.getOrDefault(volume, 0);
  }

  /** Every name a shopper may use for this title: English, romaji and aliases. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    names.add(title);
    if (!romaji.isBlank() && !romaji.equalsIgnoreCase(title)) {
      names.add(romaji);
    }
    names.addAll(aliases);
    return names;
  }

  /** The text that retrieval indexes and embeds. */
  public String searchText() {
    return title + ". " + String.join(", ", aliases) + ". " + romaji + ". by " + author + ". "
        + String.join(", ", genres) + ", " + demographic + ". " + synopsis;
  }

  /** A product card for the client ({@code cards} frame); {@code volume} may be null for the series. */
  public JsonObject card(Integer volume, String imageUrlPattern) {
    int vol = volume == null ? latestVolume : volume;
    return new JsonObject()
        .put("titleId", titleId)
        .put("title", title)
        .put("author", author)
        .put("volume", vol)
        .put("priceJpy", priceJpy)
        .put("inStock", stockOf(vol) > 0)
        .put("image", imageUrlPattern.replace("{titleId}", titleId).replace("{volume}", Integer.toString(vol)));
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> values.add(v.toString()));
    }
    return values;
  }
}
