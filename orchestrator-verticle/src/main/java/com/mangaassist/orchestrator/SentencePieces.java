package com.mangaassist.orchestrator;

import java.util.ArrayList;
import java.util.List;

/** A stored answer (cache, precompute) cut for streaming: the first sentence goes out at once, the rest follow. */
final class SentencePieces {

  private SentencePieces() {}

  /**
   * The pieces of {@code text}, cut after the whitespace that follows a sentence's end ({@code .}, {@code !} or
   * {@code ?}). Joined, they are the text exactly: a stored answer keeps its line breaks and list layout, and ends as
   * the model's answer ended.
   */
  static List<String> of(String text) {
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int at = 0;
    while (at < text.length()) {
      char c = text.charAt(at++);
      boolean sentenceEnds = (c == '.' || c == '!' || c == '?')
          && at < text.length() && Character.isWhitespace(text.charAt(at));
      if (sentenceEnds) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
          at++;
        }
        pieces.add(text.substring(start, at));
        start = at;
      }
    }
    if (start < text.length()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }
}
