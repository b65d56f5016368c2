package com.mangaassist.store;

import com.mangaassist.store.CacheLookup.Outcome;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap lexical vetoes on a semantic match. Sentence embeddings place "manga like Berserk" and "manga like Berserk
 * but not so dark" close together, and "volume 3" next to "volume 4"; these are the classic false hits of semantic
 * caches (GPTCache #388, #694). A veto only turns a hit into a miss, so a guard that fires too often costs hit rate,
 * never correctness.
 *
 * <p>Entity swaps ("buy One Piece" vs "buy Naruto") are handled by the scope key, which holds the resolved titles.
 * As a backstop for titles entity resolution missed, a term the shopper put in quotes must appear in both
 * questions. Capitalised words are deliberately not used: shoppers type in lower case and every sentence starts
 * with a capital, so that guard would mostly reject good paraphrases.
 */
final class NearMissGuards {

  private static final Pattern NEGATION = Pattern.compile(
      "\\b(?:not|no|never|without|except|none|nothing|neither|nor|cannot|instead of|other than|besides|apart from"
          + "|dont|doesnt|didnt|isnt|arent|wasnt|werent|cant|wont|havent|hasnt|shouldnt|wouldnt|couldnt)\\b"
          + "|n't\\b");

  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?|[a-z]+");

  /**
   * Spelled-out numbers count like digits ("volume three" vs "volume 4"). "one" is left out on purpose: it is part
   * of titles (One Piece, One-Punch Man) and of phrasing ("one of the best"), and both questions of a scope name the
   * same title anyway.
   */
  private static final Map<String, String> NUMBER_WORDS = Map.ofEntries(
      Map.entry("two", "2"), Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("five", "5"),
      Map.entry("six", "6"), Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"),
      Map.entry("ten", "10"), Map.entry("eleven", "11"), Map.entry("twelve", "12"), Map.entry("twenty", "20"));

  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"|\u201c([^\u201d]+)\u201d|\u300c([^\u300d]+)\u300d");

  private NearMissGuards() {}

  /**
   * The reason to refuse serving {@code cached} for {@code question}, or empty when no guard objects. Both
   * questions are given raw (for quotes) and normalised (for everything else).
   */
  static Optional<Outcome> veto(String question, String normalized, String cachedQuestion, String cachedNormalized) {
    if (hasNegation(normalized) != hasNegation(cachedNormalized)) {
      return Optional.of(Outcome.NEGATION_GUARD);
    }
    if (!numbers(normalized).equals(numbers(cachedNormalized))) {
      return Optional.of(Outcome.NUMBER_GUARD);
    }
    if (!quotedTermsAppearIn(question, cachedNormalized) || !quotedTermsAppearIn(cachedQuestion, normalized)) {
      return Optional.of(Outcome.QUOTED_TERM_GUARD);
    }
    return Optional.empty();
  }

  static boolean hasNegation(String normalized) {
    return NEGATION.matcher(normalized).find();
  }

  static Set<String> numbers(String normalized) {
    Set<String> numbers = new HashSet<>();
    Matcher m = NUMBER.matcher(normalized);
    while (m.find()) {
      String token = m.group();
      if (Character.isDigit(token.charAt(0))) {
        // "03" and "3" are the same volume
        numbers.add(token.replaceFirst("^0+(?=\\d)", ""));
      } else if (NUMBER_WORDS.containsKey(token)) {
        numbers.add(NUMBER_WORDS.get(token));
      }
    }
    return numbers;
  }

  private static boolean quotedTermsAppearIn(String rawQuestion, String otherNormalized) {
    if (rawQuestion == null) {
      return true;
    }
    Matcher m = QUOTED.matcher(rawQuestion);
    while (m.find()) {
      String term = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      if (!otherNormalized.contains(QuestionNormalizer.normalize(term))) {
        return false;
      }
    }
    return true;
  }
}
