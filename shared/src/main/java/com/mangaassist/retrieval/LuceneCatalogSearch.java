package com.mangaassist.retrieval;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.embed.Embedder;
import com.mangaassist.embed.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hybrid catalog search in an embedded, in-memory Lucene index: an HNSW nearest-neighbour search over the titles'
 * embeddings and a BM25 search over their names, author, genres and synopsis, fused by Reciprocal Rank Fusion.
 *
 * <p>Config (all optional): {@code candidates} (per-branch depth before fusion, 20), {@code knnNumCandidates}
 * (HNSW search beam, 100), {@code rrfK} (60),
 * {@code maxQueryTerms} (24), {@code fuzzyNames} (true), {@code boosts} ({@code {"names":1.5,"author":1.5,"genres":1,
 * "synopsis":1}}); see {@link HybridSearchSettings}.
 *
 * <p>Searching and indexing are CPU work and run on worker threads; the returned futures complete there. Until the
 * first {@link #index(Catalog)} completes, searches answer an empty list.
 */
public final class LuceneCatalogSearch implements CatalogSearch {

  /**
   * Searches run on the first index of the process before shoppers arrive, and on later ones (the code is compiled by
   * then). Lucene's query code needs about a thousand searches before the JIT has compiled it: after 20, the next
   * searches took 3.7 ms at p50 and 6.4 ms at p90 (one every 500 ms); after 1,000, 1.0 and 1.6 ms (one every 300 ms).
   */
  private static final int FIRST_WARM_UP_SEARCHES = 1_000;
  private static final int WARM_UP_SEARCHES = 20;

  /** Compiled code is the process's: the first index of any instance warms it for all. */
  private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

  private static final Logger log = LoggerFactory.getLogger(LuceneCatalogSearch.class);

  private final Vertx vertx;
  private final Embedder embedder;
  private final HybridSearchSettings settings;
  private final Analyzer indexAnalyzer = new EnglishAnalyzer();
  private final KeywordQueryBuilder keywordQueries;
  private final ReciprocalRankFusion fusion;
  private final AtomicReference<IndexSnapshot> current = new AtomicReference<>();
  private final AtomicLong generations = new AtomicLong();
  private volatile boolean closed;

  public LuceneCatalogSearch(Vertx vertx, Embedder embedder, JsonObject config) {
    this.vertx = vertx;
    this.embedder = embedder;
    this.settings = HybridSearchSettings.fromJson(config == null ? new JsonObject() : config);
    this.keywordQueries = new KeywordQueryBuilder(settings);
    this.fusion = new ReciprocalRankFusion(settings.rrfK());
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
    // Unordered: concurrent searches from one verticle need not wait for each other.
    return vertx.executeBlocking(() -> searchNow(text, embedding, k), false);
  }

  /**
   * The BM25 half goes to a worker at once; the vector half follows on another when the embedding comes, and the two
   * rankings are fused as {@link #search} fuses them. Each half reads the index current when it runs.
   */
  @Override
  public PendingSearch begin(String text, int k) {
    int depth = depth(k);
    Future<List<String>> keywords = closed || k <= 0
        ? Future.succeededFuture(List.of())
        : vertx.executeBlocking(() -> onSnapshot(snapshot -> keywordRanking(snapshot, text, depth)), false);
    return embedding -> {
      Future<List<SearchHit>> early = SearchPreconditions.answerWithoutSearching(closed, embedding,
          embedder.dimensions(), k);
      if (early != null) {
        return early;
      }
      Future<List<String>> nearest = embedding == null
          ? Future.succeededFuture(List.of())
          : vertx.executeBlocking(() -> onSnapshot(snapshot -> vectorRanking(snapshot, embedding, depth)), false);
      return Future.all(nearest, keywords).map(both -> fusion.fuse(List.of(nearest.result(), keywords.result()), k));
    };
  }

  private List<SearchHit> searchNow(String text, float[] embedding, int k) throws IOException {
    int depth = depth(k);
    return fusion.fuse(onSnapshot(snapshot -> List.of(vectorRanking(snapshot, embedding, depth),
        keywordRanking(snapshot, text, depth))), k);
  }

  private int depth(int k) {
    return Math.max(settings.candidates(), k);
  }

  /** What {@code work} finds in the current index; nothing before the first index. */
  private <T> List<T> onSnapshot(SnapshotWork<T> work) throws IOException {
    IndexSnapshot snapshot = retainCurrent();
    if (snapshot == null) {
      return List.of();
    }
    try {
      return work.apply(snapshot);
    } finally {
      snapshot.release();
    }
  }

  @FunctionalInterface
  private interface SnapshotWork<T> {
    List<T> apply(IndexSnapshot snapshot) throws IOException;
  }

  /** The titles nearest the embedding; none without one. */
  private List<String> vectorRanking(IndexSnapshot snapshot, float[] embedding, int depth) throws IOException {
    // Normalise a copy: the caller's array is shared with other branches, and DOT_PRODUCT needs unit length.
    return embedding == null ? List.of()
        : snapshot.nearest(Vectors.normalize(embedding.clone()), depth, settings.knnNumCandidates());
  }

  /** The titles BM25 ranks best for the words; none when no word is searchable. */
  private List<String> keywordRanking(IndexSnapshot snapshot, String text, int depth) throws IOException {
    Query keywords = keywordQueries.build(text, snapshot.vocabulary());
    if (keywords == null) {
      return List.of();
    }
    try {
      return snapshot.best(keywords, depth);
    } catch (IndexSearcher.TooManyClauses e) {
      // Bounded by maxQueryTerms, so not expected; if it happens the vector branch still answers.
      log.warn("keyword query too large, answering from embeddings only: {}", e.getMessage());
      return List.of();
    }
  }

  /** The current snapshot with a reference taken, or null before the first index. */
  private IndexSnapshot retainCurrent() {
    while (true) {
      IndexSnapshot snapshot = current.get();
      if (snapshot == null || snapshot.retain()) {
        return snapshot;
      }
      // Released between get() and retain(): a newer one has been installed, take that.
    }
  }

  @Override
  public Future<Void> index(Catalog catalog) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("catalog search is closed"));
    }
    long generation = generations.incrementAndGet();
    return vertx.executeBlocking(() -> {
      long started = System.nanoTime();
      List<CatalogTitle> titles = catalog.titles();
      List<float[]> vectors = embedder.embedAll(titles.stream().map(CatalogTitle::searchText).toList());
      IndexSnapshot fresh = IndexSnapshot.build(generation, titles, vectors, indexAnalyzer);
      install(fresh);
      long warming = System.nanoTime();
      int searches = warmUp(titles, vectors);
      long now = System.nanoTime();
      log.info("indexed catalog v{}: {} titles in {} ms, then {} warm-up searches in {} ms", catalog.version(),
          fresh.size(), TimeUnit.NANOSECONDS.toMillis(warming - started), searches,
          TimeUnit.NANOSECONDS.toMillis(now - warming));
      return null;
    }, false);
  }

  /**
   * Searches before shoppers arrive (how many: {@link #FIRST_WARM_UP_SEARCHES}): the first kNN + BM25 query of a JVM
   * loads and compiles code for tens of milliseconds, longer than the retrieval deadline, and the next hundreds are
   * slow until the JIT has compiled them. Returns how many ran.
   */
  private int warmUp(List<CatalogTitle> titles, List<float[]> vectors) throws IOException {
    if (titles.isEmpty()) {
      return 0;
    }
    int searches = WARMED_UP.getAndSet(true) ? Math.min(WARM_UP_SEARCHES, titles.size()) : FIRST_WARM_UP_SEARCHES;
    for (int i = 0; i < searches; i++) {
      String name = titles.get(i % titles.size()).title();
      // every other one misspelt, so that the typo-tolerant name match is compiled too
      String asked = i % 2 == 0 || name.length() < 6 ? name : name.substring(0, 2) + name.substring(3);
      searchNow(asked + " manga like this", vectors.get(i % titles.size()), settings.candidates());
    }
    return searches;
  }

  /** Swaps in {@code fresh} unless a newer catalog was installed first (two reloads racing) or we are closed. */
  private void install(IndexSnapshot fresh) {
    while (true) {
      IndexSnapshot previous = current.get();
      if (closed || (previous != null && previous.generation() > fresh.generation())) {
        fresh.release();
        return;
      }
      if (current.compareAndSet(previous, fresh)) {
        if (previous != null) {
          previous.release(); // searches still holding it finish on it; the last one closes it
        }
        return;
      }
    }
  }

  @Override
  public float[] titleVector(String titleId) {
    IndexSnapshot snapshot = current.get();
    float[] vector = snapshot == null ? null : snapshot.vector(titleId);
    return vector == null ? null : vector.clone();
  }

  @Override
  public String backend() {
    return "lucene";
  }

  @Override
  public void close() {
    closed = true;
    IndexSnapshot last = current.getAndSet(null);
    if (last != null) {
      last.release();
    }
  }
}
