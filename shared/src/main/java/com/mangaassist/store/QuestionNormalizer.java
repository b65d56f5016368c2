package com.mangaassist.store;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The canonical form of a shopper's question for the exact cache tier: "One Piece?" and "one  piece" are the same
 * question. Only differences that never change meaning are erased; anything subtler is left to the semantic tier
 * and its guards.
 */
public final class QuestionNormalizer {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /** Trailing "?", "!!", "..." and the like; inner punctuation ("vol. 3", "don't") may carry meaning and stays. */
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{P}\\s]+$");

  private QuestionNormalizer() {}

  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    // NFKC folds full-width letters, digits and "？" typed on Japanese keyboards into their ASCII forms.
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC)
        .replace('\u2019', '\'')
        .replace('\u2018', '\'')
        .toLowerCase(Locale.ROOT);
    String collapsed = WHITESPACE.matcher(folded).replaceAll(" ").strip();
    return TRAILING_PUNCTUATION.matcher(collapsed).replaceAll("");
  }
}
