package com.mangaassist.retrieval.opensearch;

import com.mangaassist.retrieval.HybridSearchSettings;
import com.mangaassist.retrieval.KeywordQuery;
import com.mangaassist.retrieval.SearchField;
import java.util.ArrayList;
import java.util.List;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.msearch.MultisearchBody;

/**
 * The two branches of the hybrid search as OpenSearch requests, built to rank exactly as the embedded index does:
 * the same k-NN beam and depth, and the same {@link KeywordQuery} rendered term for term (a {@code dis_max} over the
 * boosted fields per word, plus a discounted {@code fuzzy} match on names). Only ids come back ({@code _source}
 * off); fusion happens here, by rank, as in the embedded backend.
 */
final class HybridQueries {

  private final HybridSearchSettings settings;

  HybridQueries(HybridSearchSettings settings) {
    this.settings = settings;
  }

  /**
   * The {@code depth} nearest titles to a unit-length {@code vector}. HNSW explores only as many graph nodes as it is
   * asked to return, so it is asked for the wider beam {@code knnNumCandidates} and the best {@code depth} are kept.
   */
  MultisearchBody nearest(float[] vector, int depth) {
    List<Float> values = new ArrayList<>(vector.length);
    for (float value : vector) {
      values.add(value);
    }
    int beam = Math.max(depth, settings.knnNumCandidates());
    return MultisearchBody.of(body -> body
        .size(depth)
        .source(source -> source.fetch(false))
        .query(query -> query.knn(knn -> knn.field(CatalogIndexLayout.VECTOR).vector(values).k(beam))));
  }

  /** The {@code depth} best titles by BM25 for a non-empty {@code plan}. */
  MultisearchBody keywords(KeywordQuery plan, int depth) {
    List<Query> perTerm = new ArrayList<>(plan.terms().size());
    for (KeywordQuery.Term term : plan.terms()) {
      perTerm.add(termAcrossFields(term));
    }
    return MultisearchBody.of(body -> body
        .size(depth)
        .source(source -> source.fetch(false))
        .query(query -> query.bool(bool -> bool.should(perTerm))));
  }

  private Query termAcrossFields(KeywordQuery.Term term) {
    List<Query> perField = new ArrayList<>(5);
    for (SearchField field : SearchField.values()) {
      perField.add(Query.of(query -> query.term(match -> match
          .field(field.fieldName())
          .value(FieldValue.of(term.text()))
          .boost(settings.boost(field)))));
    }
    if (term.fuzzyEdits() > 0) {
      perField.add(Query.of(query -> query.fuzzy(fuzzy -> fuzzy
          .field(SearchField.NAMES.fieldName())
          .value(FieldValue.of(term.text()))
          .fuzziness(Integer.toString(term.fuzzyEdits()))
          .prefixLength(KeywordQuery.FUZZY_PREFIX)
          .maxExpansions(KeywordQuery.FUZZY_EXPANSIONS)
          .transpositions(true)
          .boost(settings.boost(SearchField.NAMES) * KeywordQuery.FUZZY_DISCOUNT))));
    }
    return Query.of(query -> query.disMax(disMax -> disMax
        .queries(perField)
        .tieBreaker(KeywordQuery.FIELD_TIE_BREAKER)));
  }
}
