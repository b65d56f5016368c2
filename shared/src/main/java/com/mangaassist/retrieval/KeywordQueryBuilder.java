package com.mangaassist.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns a shopper's question into a BM25 query. The text is only tokenised, never parsed as Lucene syntax, so quotes,
 * {@code title:(a OR}, wildcards or a lone {@code ?!} are just words (or nothing) and cannot make the search throw.
 */
final class KeywordQueryBuilder {

  /**
   * Words of shopping talk that say nothing about which title is meant. Left in, "manga" or "volume" match whichever
   * synopsis happens to mention them and push those titles into the BM25 ranking. Removed before stemming, like
   * stop words; titles containing one still match on their other words.
   */
  private static final List<String> SHOPPER_FILLER = List.of(
      "manga", "mangas", "volume", "volumes", "vol", "latest", "newest", "series", "book", "books", "comic", "comics",
      "like", "similar", "recommend", "recommendation", "recommendations", "want", "looking", "read", "buy", "about",
      "any", "anything", "something", "some", "please", "you", "have", "do", "does", "what", "which", "got", "me", "i");

  // Each term becomes a max over fields; the tie-breaker lets a word found in several fields count a little more.
  private static final float FIELD_TIE_BREAKER = 0.1f;
  // Keeps a rewritten fuzzy term small: with maxQueryTerms=24, at most 24 × (4 + 8) clauses, far below Lucene's 1024.
  private static final int FUZZY_EXPANSIONS = 8;
  // A typo'd name should still rank below an exact name match.
  private static final float FUZZY_DISCOUNT = 0.6f;

  private final Analyzer queryAnalyzer;
  private final LuceneSearchSettings settings;

  KeywordQueryBuilder(LuceneSearchSettings settings) {
    CharArraySet stopWords = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    stopWords.addAll(SHOPPER_FILLER);
    // Same stemming as the index analyzer, so query and index terms meet.
    this.queryAnalyzer = new EnglishAnalyzer(stopWords);
    this.settings = settings;
  }

  /** The BM25 query, or null when the text has no searchable word. */
  Query build(String text) {
    List<String> terms = terms(text == null ? "" : text);
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String term : terms) {
      query.add(termAcrossFields(term), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  private Query termAcrossFields(String term) {
    List<Query> perField = new ArrayList<>(5);
    perField.add(boosted(new TermQuery(new Term(CatalogDocument.NAMES, term)), settings.namesBoost()));
    perField.add(boosted(new TermQuery(new Term(CatalogDocument.AUTHOR, term)), settings.authorBoost()));
    perField.add(boosted(new TermQuery(new Term(CatalogDocument.GENRES, term)), settings.genresBoost()));
    perField.add(boosted(new TermQuery(new Term(CatalogDocument.SYNOPSIS, term)), settings.synopsisBoost()));
    if (settings.fuzzyNames() && term.length() >= 5) {
      // Short words have too many one-typo neighbours ("tora" vs "torn"); long ones tolerate two typos.
      int maxEdits = term.length() >= 8 ? 2 : 1;
      Query fuzzy = new FuzzyQuery(new Term(CatalogDocument.NAMES, term), maxEdits, 1, FUZZY_EXPANSIONS, true);
      perField.add(boosted(fuzzy, settings.namesBoost() * FUZZY_DISCOUNT));
    }
    return new DisjunctionMaxQuery(perField, FIELD_TIE_BREAKER);
  }

  private List<String> terms(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream tokens = queryAnalyzer.tokenStream(CatalogDocument.SYNOPSIS, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (terms.size() < settings.maxQueryTerms() && tokens.incrementToken()) {
        terms.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("tokenising a string cannot do I/O", e);
    }
    return List.copyOf(terms);
  }

  private static Query boosted(Query query, float boost) {
    return boost == 1f ? query : new BoostQuery(query, boost);
  }
}
