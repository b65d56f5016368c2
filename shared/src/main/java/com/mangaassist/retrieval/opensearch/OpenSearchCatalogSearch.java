package com.mangaassist.retrieval.opensearch;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.embed.Embedder;
import com.mangaassist.embed.Vectors;
import com.mangaassist.retrieval.CatalogSearch;
import com.mangaassist.retrieval.HybridSearchSettings;
import com.mangaassist.retrieval.CatalogVocabulary;
import com.mangaassist.retrieval.KeywordQuery;
import com.mangaassist.retrieval.ReciprocalRankFusion;
import com.mangaassist.retrieval.SearchHit;
import com.mangaassist.retrieval.SearchPreconditions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.core.MsearchResponse;
import org.opensearch.client.opensearch.core.msearch.MultiSearchResponseItem;
import org.opensearch.client.opensearch.core.msearch.MultisearchBody;
import org.opensearch.client.opensearch.core.msearch.RequestItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hybrid catalog search in OpenSearch: a k-NN search on the titles' embeddings ({@code knn_vector}, HNSW, cosine,
 * Lucene engine) and a BM25 search on their names, author, genres and synopsis, sent together in one
 * {@code _msearch} and fused here by Reciprocal Rank Fusion, the same recipe and tuning as the embedded
 * {@link com.mangaassist.retrieval.LuceneCatalogSearch}.
 *
 * <p>Config: the hybrid tuning of {@code conf/retrieval.json} ({@link HybridSearchSettings}) and its
 * {@code opensearch} object ({@link OpenSearchSettings}). Requests are asynchronous with their own timeouts; futures
 * complete on the caller's context. Until the index exists, searches answer an empty list.
 *
 * <p>{@link #index(Catalog)} syncs the index to a catalog ({@link CatalogIndexSync}), one sync at a time; a failed
 * sync is retried with back-off until it succeeds or a newer catalog arrives, so a node that was down when the
 * catalog changed catches up once it is back.
 */
public final class OpenSearchCatalogSearch implements CatalogSearch {

  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchCatalogSearch.class);

  private final Vertx vertx;
  private final Embedder embedder;
  private final HybridSearchSettings tuning;
  private final OpenSearchSettings settings;
  private final HybridQueries queries;
  private final ReciprocalRankFusion fusion;
  // searches give up quickly; bulk writes of a whole catalog may take a while: two pools, two timeouts
  private final OpenSearchConnection searchConnection;
  private final OpenSearchConnection indexConnection;
  private final CatalogIndexSync sync;

  private Future<Void> lastSync = Future.succeededFuture();
  private long generation;
  private long retryTimer = -1;
  private long retryDelayMs;
  private volatile boolean closed;
  /** The words of the catalog last synced: the same typo rule as the embedded index, so both rank alike. */
  private volatile CatalogVocabulary vocabulary = CatalogVocabulary.EMPTY;

  public OpenSearchCatalogSearch(Vertx vertx, Embedder embedder, JsonObject retrievalConfig) {
    JsonObject config = retrievalConfig == null ? new JsonObject() : retrievalConfig;
    OpenSearchSettings configured = OpenSearchSettings.fromJson(config.getJsonObject("opensearch", new JsonObject()));
    if (configured == null) {
      throw new IllegalArgumentException("retrieval.opensearch.url (OPENSEARCH_URL) is not set");
    }
    this.vertx = vertx;
    this.embedder = embedder;
    this.tuning = HybridSearchSettings.fromJson(config);
    this.settings = configured;
    this.queries = new HybridQueries(tuning);
    this.fusion = new ReciprocalRankFusion(tuning.rrfK());
    this.searchConnection = OpenSearchConnection.open(settings, settings.searchTimeout());
    this.indexConnection = OpenSearchConnection.open(settings, settings.indexTimeout());
    this.sync = new CatalogIndexSync(vertx, indexConnection.client(), settings, embedder);
    this.retryDelayMs = settings.retryMin().toMillis();
    LOG.info("catalog search on OpenSearch at {}, index {}{}", settings.endpoint(), settings.index(),
        settings.aws().enabled() ? ", SigV4-signed for " + settings.aws().service() + " in " + settings.aws().region()
            : "");
  }

  /**
   * {@code embedding} may be null (no embedder at hand): the search then ranks by words alone. Blank or
   * punctuation-only text ranks by the embedding alone.
   */
  @Override
  public Future<List<SearchHit>> search(String text, float[] embedding, int k) {
    Future<List<SearchHit>> early = SearchPreconditions.answerWithoutSearching(closed, embedding,
        embedder.dimensions(), k);
    if (early != null) {
      return early;
    }
    int depth = Math.max(tuning.candidates(), k);
    List<RequestItem> branches = new ArrayList<>(2);
    if (embedding != null) {
      // a normalised copy: the caller's array is shared with the other fan-out branches
      branches.add(branch(queries.nearest(Vectors.normalize(embedding.clone()), depth)));
    }
    KeywordQuery words = KeywordQuery.of(text, tuning, vocabulary);
    if (!words.isEmpty()) {
      branches.add(branch(queries.keywords(words, depth)));
    }
    if (branches.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return OpenSearchCalls.<MsearchResponse<JsonData>>call(vertx.getOrCreateContext(),
            () -> searchConnection.client().msearch(msearch -> msearch.searches(branches), JsonData.class))
        .map(response -> fusion.fuse(rankings(response), k))
        .recover(e -> "index_not_found_exception".equals(OpenSearchCalls.errorType(e))
            ? Future.succeededFuture(List.of()) : Future.failedFuture(e));
  }

  private RequestItem branch(MultisearchBody body) {
    return RequestItem.of(item -> item.header(header -> header.index(settings.index())).body(body));
  }

  /** The title ids of each branch, best first; a failed branch counts as no ranking unless all failed. */
  private static List<List<String>> rankings(MsearchResponse<JsonData> response) {
    List<List<String>> rankings = new ArrayList<>(2);
    String failure = null;
    for (MultiSearchResponseItem<JsonData> item : response.responses()) {
      if (item.isResult()) {
        rankings.add(item.result().hits().hits().stream().map(Hit::id).toList());
      } else {
        failure = item.failure().error().type() + ": " + item.failure().error().reason();
        if (failure.startsWith("index_not_found_exception")) {
          return List.of();
        }
        LOG.warn("one branch of a catalog search failed, answering from the other: {}", failure);
      }
    }
    if (rankings.isEmpty() && failure != null) {
      throw new IllegalStateException("catalog search failed: " + failure);
    }
    return rankings;
  }

  /**
   * Syncs the index to {@code catalog}; completes once it is searchable. Syncs run one at a time, and a catalog
   * superseded by a newer one before its turn is skipped (its future succeeds: the newer one is what gets indexed).
   */
  @Override
  public synchronized Future<Void> index(Catalog catalog) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("catalog search is closed"));
    }
    long mine = ++generation;
    cancelRetry();
    Future<Void> result = lastSync.transform(previous -> isLatest(mine) ? syncNow(catalog, mine)
        : Future.succeededFuture());
    lastSync = result.otherwiseEmpty();
    return result;
  }

  /** Starts without waiting for a node that cannot be reached yet: the sync retries, chat answers meanwhile. */
  @Override
  public Future<Void> open(Catalog catalog) {
    return index(catalog).recover(e -> {
      LOG.warn("OpenSearch at {} not usable yet ({}); answering without retrieval until the catalog is indexed",
          settings.endpoint(), e.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<Void> syncNow(Catalog catalog, long mine) {
    long started = System.nanoTime();
    return sync.sync(catalog)
        .compose(outcome -> vertx.executeBlocking(() -> CatalogVocabulary.of(catalog.titles()), false)
            .map(words -> {
              vocabulary = words;
              return outcome;
            }))
        .onSuccess(outcome -> {
          synchronized (this) {
            retryDelayMs = settings.retryMin().toMillis();
          }
          LOG.info("catalog v{} synced to OpenSearch index {}: {} written, {} deleted, {} unchanged in {} ms",
              catalog.version(), settings.index(), outcome.written(), outcome.deleted(), outcome.unchanged(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        })
        .onFailure(e -> scheduleRetry(catalog, mine, e))
        .mapEmpty();
  }

  private synchronized void scheduleRetry(Catalog catalog, long failed, Throwable cause) {
    if (closed || !isLatest(failed)) {
      return;
    }
    long delay = retryDelayMs;
    retryDelayMs = Math.min(settings.retryMax().toMillis(), retryDelayMs * 2);
    LOG.warn("syncing catalog v{} to OpenSearch failed ({}); retrying in {} ms", catalog.version(), cause.toString(),
        delay);
    retryTimer = vertx.setTimer(delay, id -> {
      synchronized (this) {
        retryTimer = -1;
        if (!isLatest(failed)) {
          return;
        }
      }
      index(catalog);
    });
  }

  private synchronized boolean isLatest(long mine) {
    return mine == generation;
  }

  private synchronized void cancelRetry() {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  @Override
  public String backend() {
    return "opensearch";
  }

  @Override
  public void close() {
    closed = true;
    cancelRetry();
    searchConnection.close();
    indexConnection.close();
  }
}
