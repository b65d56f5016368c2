package com.mangaassist.retrieval;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.embed.MiniLmEmbedder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real model and the real catalog behind a Lucene search, as a test class shares them. */
final class SearchFixture implements AutoCloseable {

  final Vertx vertx;
  final MiniLmEmbedder embedder;
  final Catalog catalog;
  final LuceneCatalogSearch search;

  private SearchFixture(Vertx vertx, MiniLmEmbedder embedder, Catalog catalog, LuceneCatalogSearch search) {
    this.vertx = vertx;
    this.embedder = embedder;
    this.catalog = catalog;
    this.search = search;
  }

  /** Loads the model and catalog and indexes the catalog; takes a few seconds. */
  static SearchFixture indexed(JsonObject config) throws Exception {
    Vertx vertx = Vertx.vertx();
    MiniLmEmbedder embedder = await(MiniLmEmbedder.load(vertx));
    Catalog catalog = Catalog.read(repoFile("conf/catalog/catalog.json"));
    LuceneCatalogSearch search = new LuceneCatalogSearch(vertx, embedder, config);
    await(search.index(catalog));
    return new SearchFixture(vertx, embedder, catalog, search);
  }

  /** What a shopper typing {@code text} gets: the text embedded once and searched. */
  List<SearchHit> ask(String text, int k) throws Exception {
    return await(search.search(text, embedder.embed(text), k));
  }

  List<String> askIds(String text, int k) throws Exception {
    return ask(text, k).stream().map(SearchHit::titleId).toList();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /** A file of the repository, whether tests run from the module or from the root. */
  static Path repoFile(String relative) throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IOException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() throws Exception {
    search.close();
    await(vertx.close());
  }
}
