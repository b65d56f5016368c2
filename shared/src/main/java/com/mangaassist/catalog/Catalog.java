package com.mangaassist.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of the shop's catalog; a reload makes a new one. */
public final class Catalog {

  private final int version;
  private final List<CatalogTitle> titles;
  private final Map<String, CatalogTitle> byId;

  public Catalog(int version, List<CatalogTitle> titles) {
    this.version = version;
    this.titles = List.copyOf(titles);
    Map<String, CatalogTitle> index = new LinkedHashMap<>();
    for (CatalogTitle title : titles) {
      if (index.put(title.titleId(), title) != null) {
        throw new IllegalArgumentException("duplicate titleId " + title.titleId());
      }
    }
    this.byId = Map.copyOf(index);
  }

  public static Catalog fromJson(JsonObject json) {
    List<CatalogTitle> titles = new ArrayList<>();
    for (Object item : json.getJsonArray("titles", new JsonArray())) {
      titles.add(CatalogTitle.fromJson((JsonObject) item));
    }
    return new Catalog(json.getInteger("catalogVersion", 1), titles);
  }

  /** Blocking read: call at start-up or from a worker. */
  public static Catalog read(Path file) throws IOException {
    return fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
  }

  public int version() {
    return version;
  }

  public List<CatalogTitle> titles() {
    return titles;
  }

  /** The title with this id, or null. */
  public CatalogTitle title(String titleId) {
    return byId.get(titleId);
  }

  public int size() {
    return titles.size();
  }
}
