package com.mangaassist.catalog;

import com.mangaassist.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live catalog: read once at start, then re-read when the file changes (checked periodically, off the event
 * loop). Each reload publishes {@code mangaassist.catalog.updated} with the changed title ids and the version, and
 * hands the new snapshot to local listeners (retrieval re-indexes, caches re-scope by catalog version).
 */
public final class CatalogStore {

  private static final Logger LOG = LoggerFactory.getLogger(CatalogStore.class);

  private final Vertx vertx;
  private final Path file;
  private final List<Consumer<Catalog>> listeners = new ArrayList<>();
  private volatile Catalog current;
  private long lastModified;
  private long timerId = -1;

  private CatalogStore(Vertx vertx, Path file, Catalog initial, long lastModified) {
    this.vertx = vertx;
    this.file = file;
    this.current = initial;
    this.lastModified = lastModified;
  }

  /** Reads the catalog off the event loop; {@code reloadIntervalMs > 0} watches the file for changes. */
  public static Future<CatalogStore> load(Vertx vertx, Path file, long reloadIntervalMs) {
    return vertx.executeBlocking(() -> new Object[] {Catalog.read(file), Files.getLastModifiedTime(file).toMillis()})
        .map(read -> {
          CatalogStore store = new CatalogStore(vertx, file, (Catalog) read[0], (Long) read[1]);
          if (reloadIntervalMs > 0) {
            store.timerId = vertx.setPeriodic(reloadIntervalMs, id -> store.reloadIfChanged());
          }
          LOG.info("catalog version {} loaded: {} titles", store.current.version(), store.current.size());
          return store;
        });
  }

  public Catalog current() {
    return current;
  }

  /** Called on the event loop of the store's creator with every new snapshot. */
  public void onUpdate(Consumer<Catalog> listener) {
    listeners.add(listener);
  }

  public void close() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
  }

  private void reloadIfChanged() {
    vertx.executeBlocking(() -> {
      long modified = Files.getLastModifiedTime(file).toMillis();
      return modified == lastModified ? null : new Object[] {Catalog.read(file), modified};
    }).onSuccess(read -> {
      if (read != null) {
        lastModified = (Long) read[1];
        apply((Catalog) read[0]);
      }
    }).onFailure(e -> LOG.warn("catalog reload failed, keeping version {}: {}", current.version(), e.getMessage()));
  }

  private void apply(Catalog fresh) {
    Catalog previous = current;
    current = fresh;
    JsonArray changed = new JsonArray();
    for (CatalogTitle title : fresh.titles()) {
      if (!Objects.equals(title, previous.title(title.titleId()))) {
        changed.add(title.titleId());
      }
    }
    for (CatalogTitle title : previous.titles()) {
      if (fresh.title(title.titleId()) == null) {
        changed.add(title.titleId());
      }
    }
    LOG.info("catalog reloaded: version {} -> {}, {} titles changed", previous.version(), fresh.version(), changed.size());
    listeners.forEach(listener -> listener.accept(fresh));
    vertx.eventBus().publish(Addresses.CATALOG_UPDATED,
        new JsonObject().put("titleIds", changed).put("catalogVersion", fresh.version()));
  }

}
