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

/**
 * What the BM25 branch looks for in a shopper's question, before any engine renders it: the question's distinct
 * words, analysed as the index analyses text (English stemming), each matched across {@link SearchField}s (the best
 * field counts, a little more for every other field it is found in) and, if long enough, in the names with a typo or
 * two. The embedded Lucene index and OpenSearch render the same plan, so both rank by the same words.
 *
 * <p>The text is only tokenised, never parsed as query syntax, so quotes, {@code title:(a OR}, wildcards or a lone
 * {@code ?!} are just words (or nothing) and cannot make a search throw.
 *
 * @param terms the words, in the order of the question; empty when the text has no searchable word
 */
public record KeywordQuery(List<Term> terms) {

  /**
   * One word of the question.
   *
   * @param fuzzyEdits how many typos a name may have and still match this word; 0 for no fuzzy match
   */
  public record Term(String text, int fuzzyEdits) {}

  /** Each word scores its best field, plus this share of its score in every other field. */
  public static final float FIELD_TIE_BREAKER = 0.1f;
  /**
   * Names a typo'd word may expand to. Keeps a rewritten fuzzy term small: with maxQueryTerms=24, at most 24 × (4 + 8)
   * clauses, far below Lucene's 1024.
   */
  public static final int FUZZY_EXPANSIONS = 8;
  /** Leading characters a typo'd word must share with the name (typos at the very start are rare). */
  public static final int FUZZY_PREFIX = 1;
  /** A typo'd name should still rank below an exact name match. */
  public static final float FUZZY_DISCOUNT = 0.6f;

  /**
   * Words of shopping talk that say nothing about which title is meant. Left in, "manga" or "volume" match whichever
   * synopsis happens to mention them and push those titles into the BM25 ranking. Removed before stemming, like
   * stop words; titles containing one still match on their other words.
   */
  private static final List<String> SHOPPER_FILLER = List.of(
      "manga", "mangas", "volume", "volumes", "vol", "latest", "newest", "series", "book", "books", "comic", "comics",
      "like", "similar", "recommend", "recommendation", "recommendations", "want", "looking", "read", "buy", "about",
      "any", "anything", "something", "some", "please", "you", "have", "do", "does", "what", "which", "got", "me", "i");

  // Same stemming as the index analyzer ("english" in OpenSearch, EnglishAnalyzer in Lucene), so query and index
  // terms meet. Thread-safe: Analyzer keeps per-thread token stream components.
  private static final Analyzer QUERY_ANALYZER = queryAnalyzer();

  public KeywordQuery {
    terms = List.copyOf(terms);
  }

  /**
   * The plan for {@code text} (null means no text): at most {@code settings.maxQueryTerms()} distinct words; a word
   * the catalog's {@code vocabulary} contains is not matched with typos.
   */
  public static KeywordQuery of(String text, HybridSearchSettings settings, CatalogVocabulary vocabulary) {
    List<Term> terms = new ArrayList<>();
    for (String word : analyzedWords(text == null ? "" : text, settings.maxQueryTerms())) {
      boolean mayBeATypo = settings.fuzzyNames() && !vocabulary.contains(word);
      terms.add(new Term(word, mayBeATypo ? fuzzyEdits(word) : 0));
    }
    return new KeywordQuery(terms);
  }

  public boolean isEmpty() {
    return terms.isEmpty();
  }

  // Short words have too many one-typo neighbours ("tora" vs "torn"); long ones tolerate two typos.
  private static int fuzzyEdits(String word) {
    if (word.length() < 5) {
      return 0;
    }
    return word.length() >= 8 ? 2 : 1;
  }

  /** The distinct words of {@code text} as the index analyses them, shopping filler and stop words removed. */
  static List<String> analyzedWords(String text, int max) {
    Set<String> words = new LinkedHashSet<>();
    try (TokenStream tokens = QUERY_ANALYZER.tokenStream(SearchField.SYNOPSIS.fieldName(), text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (words.size() < max && tokens.incrementToken()) {
        words.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("tokenising a string cannot do I/O", e);
    }
    return List.copyOf(words);
  }

  private static Analyzer queryAnalyzer() {
    CharArraySet stopWords = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    stopWords.addAll(SHOPPER_FILLER);
    return new EnglishAnalyzer(stopWords);
  }
}
