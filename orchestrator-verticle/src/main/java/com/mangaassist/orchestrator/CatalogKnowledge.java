package com.mangaassist.orchestrator;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.intent.EntityResolver;

/**
 * The catalog snapshot a turn works with and the entity resolver built from it, swapped together when the
 * catalog changes so a turn never mixes versions.
 */
final class CatalogKnowledge {

  record Snapshot(Catalog catalog, EntityResolver resolver) {}

  private volatile Snapshot snapshot;

  CatalogKnowledge(Catalog catalog) {
    update(catalog);
  }

  void update(Catalog catalog) {
    snapshot = new Snapshot(catalog, new EntityResolver(catalog));
  }

  Snapshot snapshot() {
    return snapshot;
  }
}
