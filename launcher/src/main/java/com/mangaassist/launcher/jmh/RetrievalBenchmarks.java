package com.mangaassist.launcher.jmh;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.retrieval.LuceneCatalogSearch;
import com.mangaassist.retrieval.SearchHit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The retrieval branch of the fan-out: the embedded Lucene index of the shipped catalog, vector and BM25 rankings
 * fused, on a Vert.x worker as a turn runs it (the hop there and back included), with the question's embedding
 * already computed. {@code fuzzyNames} false shows what the typo-tolerant name match costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetrievalBenchmarks {

  private static final String QUESTION = "Recommend a dark fantasy manga with beautiful artwork like Berserk";

  @Param({"true", "false"})
  public boolean fuzzyNames;

  private Vertx vertx;
  private LuceneCatalogSearch search;
  private float[] embedding;

  @Setup
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    MiniLmEmbedder embedder = new MiniLmEmbedder();
    JsonObject config = ConfigFiles.load().getJsonObject("retrieval", new JsonObject()).copy().put("fuzzyNames", fuzzyNames);
    search = new LuceneCatalogSearch(vertx, embedder, config);
    search.open(Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"))).await(2, TimeUnit.MINUTES);
    embedding = embedder.embed(QUESTION);
  }

  @TearDown
  public void tearDown() throws Exception {
    search.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Benchmark
  public List<SearchHit> hybridSearch() throws Exception {
    return search.search(QUESTION, embedding, 5).await(5, TimeUnit.SECONDS);
  }

  /** The BM25 half alone (no embedding): what a turn can run while its question is still being embedded. */
  @Benchmark
  public List<SearchHit> keywordHalf() throws Exception {
    return search.search(QUESTION, null, 5).await(5, TimeUnit.SECONDS);
  }

  /** The vector half alone (no words to match). */
  @Benchmark
  public List<SearchHit> vectorHalf() throws Exception {
    return search.search("", embedding, 5).await(5, TimeUnit.SECONDS);
  }
}
