package com.mangaassist.launcher;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, as written: {@code first_token_latency_ms_bucket}, not the family
 * {@code first_token_latency_ms}, so they can be looked up among the sample names of a scrape exactly. What is not a
 * metric name is removed first: string literals (label values, Grafana variables inside them), label matchers, range
 * and subquery brackets, and the label lists of {@code by}, {@code without}, {@code on}, {@code ignoring},
 * {@code group_left}, {@code group_right}; then an identifier followed by {@code (} is a function or aggregation, a
 * keyword is a keyword, and one glued to a digit is part of a number or duration.
 */
final class PromQl {

  private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

  private PromQl() {}

  static Set<String> metricNames(String expression) {
    String s = STRING.matcher(expression).replaceAll("\"\"");
    s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
    s = LABEL_LIST.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      char before = m.start() > 0 ? s.charAt(m.start() - 1) : ' ';
      if (Character.isDigit(before) || before == '.' || before == '$' || KEYWORDS.contains(m.group().toLowerCase())) {
        continue;
      }
      int next = m.end();
      while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
        next++;
      }
      if (next < s.length() && s.charAt(next) == '(') {
        continue; // a function or an aggregation
      }
      names.add(m.group());
    }
    return names;
  }
}
