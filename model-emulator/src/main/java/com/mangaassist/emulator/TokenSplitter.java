package com.mangaassist.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Cuts text into rough Claude-like tokens (word pieces) and groups them into Bedrock-sized deltas. */
final class TokenSplitter {

  /** A word with its leading space, a single punctuation mark, or a run of whitespace. */
  private static final Pattern TOKEN = Pattern.compile("\\s*[\\p{L}\\p{M}\\p{N}']+|\\s*[^\\s\\p{L}\\p{M}\\p{N}]|\\s+");
  /** Longer words count as several tokens, as a BPE tokenizer would split them. */
  private static final int MAX_PIECE = 6;

  private TokenSplitter() {}

  static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      String token = m.group();
      int start = 0;
      int leading = token.length() - token.stripLeading().length();
      while (token.length() - start > MAX_PIECE + (start == 0 ? leading : 0)) {
        int end = start + MAX_PIECE + (start == 0 ? leading : 0);
        tokens.add(token.substring(start, end));
        start = end;
      }
      tokens.add(token.substring(start));
    }
    return tokens;
  }

  /** Groups tokens into deltas of {@code minTokens..maxTokens} tokens each (Bedrock deltas are multi-token). */
  static List<List<String>> deltas(List<String> tokens, int minTokens, int maxTokens, Random random) {
    List<List<String>> deltas = new ArrayList<>();
    int i = 0;
    while (i < tokens.size()) {
      int size = minTokens + random.nextInt(maxTokens - minTokens + 1);
      int end = Math.min(tokens.size(), i + size);
      deltas.add(tokens.subList(i, end));
      i = end;
    }
    return deltas;
  }
}
