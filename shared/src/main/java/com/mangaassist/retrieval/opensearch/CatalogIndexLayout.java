package com.mangaassist.retrieval.opensearch;

import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.retrieval.SearchField;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.mapping.DynamicMapping;
import org.opensearch.client.opensearch._types.mapping.TypeMapping;
import org.opensearch.client.opensearch.indices.CreateIndexRequest;

/**
 * How the catalog lies in OpenSearch, mirroring the embedded index: the title id, the BM25 text fields of
 * {@link SearchField} with the {@code english} analyzer (Lucene's EnglishAnalyzer, as the embedded index), and the
 * title's embedding in a {@code knn_vector} (HNSW, cosine, Lucene engine). A fingerprint per document says which
 * catalog text it was built from, so a sync rewrites only the titles that changed.
 */
final class CatalogIndexLayout {

  static final String TITLE_ID = "titleId";
  static final String VECTOR = "vector";
  static final String FINGERPRINT = "fingerprint";
  static final String CATALOG_VERSION = "catalogVersion";
  /** Part of every fingerprint: bump it when the document's content changes shape, and every title is rewritten. */
  private static final String DOCUMENT_FORMAT = "1";

  private CatalogIndexLayout() {}

  static CreateIndexRequest createRequest(OpenSearchSettings settings, int dimensions) {
    return CreateIndexRequest.of(create -> create
        .index(settings.index())
        .settings(index -> settings.serverless() ? index.knn(true) : index
            .numberOfShards(settings.shards())
            .numberOfReplicas(settings.replicas())
            .knn(true))
        .mappings(mapping(settings, dimensions)));
  }

  private static TypeMapping mapping(OpenSearchSettings settings, int dimensions) {
    return TypeMapping.of(mapping -> {
      mapping
          // a typo in a field name must fail loudly, not create a field nobody searches
          .dynamic(DynamicMapping.Strict)
          // the embedding is searched, never read back: 1.5 KiB per title not kept twice
          .source(source -> source.excludes(VECTOR))
          .properties(TITLE_ID, property -> property.keyword(keyword -> keyword))
          .properties(FINGERPRINT, property -> property.keyword(keyword -> keyword.index(false)))
          .properties(CATALOG_VERSION, property -> property.integer(integer -> integer))
          .properties(VECTOR, property -> property.knnVector(knn -> knn
              .dimension(dimensions)
              .method(method -> method
                  .name("hnsw")
                  .engine("lucene")
                  .spaceType("cosinesimil")
                  .parameters("m", JsonData.of(settings.hnswM()))
                  .parameters("ef_construction", JsonData.of(settings.hnswEfConstruction())))));
      for (SearchField field : SearchField.values()) {
        mapping.properties(field.fieldName(), property -> property.text(text -> text.analyzer("english")));
      }
      return mapping;
    });
  }

  /** The document of one title; {@code vector} is its (unit-length) embedding. */
  static Map<String, Object> document(CatalogTitle title, float[] vector, int catalogVersion) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put(TITLE_ID, title.titleId());
    for (SearchField field : SearchField.values()) {
      List<String> values = field.values(title);
      document.put(field.fieldName(), values.size() == 1 ? values.get(0) : values);
    }
    document.put(VECTOR, vector);
    document.put(FINGERPRINT, fingerprint(title));
    document.put(CATALOG_VERSION, catalogVersion);
    return document;
  }

  /** A digest of everything a title's document is made of (its embedded text and its BM25 fields). */
  static String fingerprint(CatalogTitle title) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOCUMENT_FORMAT.getBytes(StandardCharsets.UTF_8));
      update(sha, title.searchText());
      for (SearchField field : SearchField.values()) {
        for (String value : field.values(title)) {
          update(sha, value);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void update(MessageDigest sha, String value) {
    sha.update((byte) 0); // a separator, so "ab"+"c" and "a"+"bc" differ
    sha.update(value.getBytes(StandardCharsets.UTF_8));
  }
}
