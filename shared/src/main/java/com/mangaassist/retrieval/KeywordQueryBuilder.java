package com.mangaassist.retrieval;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** Renders a shopper's question's {@link KeywordQuery} as a Lucene BM25 query for the embedded index. */
final class KeywordQueryBuilder {

  private final HybridSearchSettings settings;

  KeywordQueryBuilder(HybridSearchSettings settings) {
    this.settings = settings;
  }

  /** The BM25 query, or null when the text has no searchable word. */
  Query build(String text, CatalogVocabulary vocabulary) {
    KeywordQuery plan = KeywordQuery.of(text, settings, vocabulary);
    if (plan.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (KeywordQuery.Term term : plan.terms()) {
      query.add(termAcrossFields(term), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  private Query termAcrossFields(KeywordQuery.Term term) {
    List<Query> perField = new ArrayList<>(5);
    for (SearchField field : SearchField.values()) {
      perField.add(boosted(new TermQuery(new Term(field.fieldName(), term.text())), settings.boost(field)));
    }
    if (term.fuzzyEdits() > 0) {
      Query fuzzy = new FuzzyQuery(new Term(SearchField.NAMES.fieldName(), term.text()), term.fuzzyEdits(),
          KeywordQuery.FUZZY_PREFIX, KeywordQuery.FUZZY_EXPANSIONS, true);
      perField.add(boosted(fuzzy, settings.boost(SearchField.NAMES) * KeywordQuery.FUZZY_DISCOUNT));
    }
    return new DisjunctionMaxQuery(perField, KeywordQuery.FIELD_TIE_BREAKER);
  }

  private static Query boosted(Query query, float boost) {
    return boost == 1f ? query : new BoostQuery(query, boost);
  }
}
