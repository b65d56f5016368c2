package com.mangaassist.retrieval;

import com.mangaassist.embed.Embedder;
import com.mangaassist.retrieval.opensearch.OpenSearchCatalogSearch;
import com.mangaassist.retrieval.opensearch.OpenSearchSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Picks the retrieval backend from {@code conf/retrieval.json}: OpenSearch when {@code opensearch.url} is set. */
public final class CatalogSearches {

  private CatalogSearches() {}

  public static CatalogSearch create(Vertx vertx, Embedder embedder, JsonObject retrievalConfig) {
    JsonObject config = retrievalConfig == null ? new JsonObject() : retrievalConfig;
    boolean openSearch = OpenSearchSettings.fromJson(config.getJsonObject("opensearch", new JsonObject())) != null;
    return openSearch ? new OpenSearchCatalogSearch(vertx, embedder, config) : new LuceneCatalogSearch(vertx, embedder,
        config);
  }
}
