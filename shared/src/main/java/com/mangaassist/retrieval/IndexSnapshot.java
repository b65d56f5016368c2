package com.mangaassist.retrieval;

import com.mangaassist.catalog.CatalogTitle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * One catalog version, indexed in memory and searchable until released. Reference counted on the reader: the owner
 * holds one reference and every running search one more, so replacing the snapshot never closes it under a search.
 */
final class IndexSnapshot {

  private final long generation;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final String[] titleIdByDoc;
  private final Map<String, float[]> vectorByTitle;
  private final CatalogVocabulary vocabulary;

  private IndexSnapshot(long generation, DirectoryReader reader, Map<String, float[]> vectorByTitle,
      CatalogVocabulary vocabulary) throws IOException {
    this.generation = generation;
    this.vectorByTitle = vectorByTitle;
    this.vocabulary = vocabulary;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    // Resolving ids through stored fields on every hit is wasted work for a few hundred documents: read them once.
    this.titleIdByDoc = new String[reader.maxDoc()];
    StoredFields stored = reader.storedFields();
    for (int doc = 0; doc < titleIdByDoc.length; doc++) {
      titleIdByDoc[doc] = stored.document(doc, Set.of(CatalogDocument.ID)).get(CatalogDocument.ID);
    }
  }

  /** Blocking: writes every title with its embedding ({@code vectors} in the order of {@code titles}). */
  static IndexSnapshot build(long generation, List<CatalogTitle> titles, List<float[]> vectors, Analyzer analyzer)
      throws IOException {
    if (titles.size() != vectors.size()) {
      throw new IllegalArgumentException(titles.size() + " titles but " + vectors.size() + " vectors");
    }
    // Heap-only; it is garbage once the reader is closed, so nobody needs to close it explicitly.
    ByteBuffersDirectory directory = new ByteBuffersDirectory();
    Map<String, float[]> vectorByTitle = new HashMap<>();
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
      for (int i = 0; i < titles.size(); i++) {
        writer.addDocument(CatalogDocument.of(titles.get(i), vectors.get(i)));
        vectorByTitle.put(titles.get(i).titleId(), vectors.get(i));
      }
      // One segment means one HNSW graph and one BM25 statistics pass per search.
      writer.forceMerge(1);
    }
    return new IndexSnapshot(generation, DirectoryReader.open(directory), Map.copyOf(vectorByTitle),
        CatalogVocabulary.of(titles));
  }

  /** The words of the catalog this snapshot indexes. */
  CatalogVocabulary vocabulary() {
    return vocabulary;
  }

  long generation() {
    return generation;
  }

  int size() {
    return reader.numDocs();
  }

  /** Takes a reference for one search; false if the snapshot was already released for good. */
  boolean retain() {
    return reader.tryIncRef();
  }

  /** Gives back a reference; the last one closes the reader. */
  void release() {
    try {
      reader.decRef();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Title ids by cosine similarity to a unit-length {@code vector}, best first. HNSW is approximate and explores only
   * as many graph nodes as it is asked to return, so it is asked for {@code numCandidates} and the best {@code depth}
   * are kept: with {@code depth} alone a title ranked 4th by exact cosine was missed entirely.
   */
  /** The indexed (unit) embedding of a title, or null when this snapshot does not hold it. Plain heap: no reference needed. */
  float[] vector(String titleId) {
    return vectorByTitle.get(titleId);
  }

  List<String> nearest(float[] vector, int depth, int numCandidates) throws IOException {
    Query knn = new KnnFloatVectorQuery(CatalogDocument.VECTOR, vector, Math.max(depth, numCandidates));
    return ids(searcher.search(knn, depth).scoreDocs);
  }

  /** Title ids by BM25 score of {@code query}, best first. */
  List<String> best(Query query, int depth) throws IOException {
    return ids(searcher.search(query, depth).scoreDocs);
  }

  private List<String> ids(ScoreDoc[] hits) {
    List<String> ids = new ArrayList<>(hits.length);
    for (ScoreDoc hit : hits) {
      ids.add(titleIdByDoc[hit.doc]);
    }
    return ids;
  }
}
