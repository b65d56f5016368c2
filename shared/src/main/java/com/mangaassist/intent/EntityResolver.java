package com.mangaassist.intent;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the catalog titles and volume numbers a question mentions, tolerating typos, and resolves pronouns ("is it
 * in stock?") to the title discussed last. Pure in-memory string work, built once per catalog snapshot.
 */
public final class EntityResolver {

  /** Longest name, in words, that is looked for. */
  private static final int MAX_NAME_WORDS = 8;
  /** Typo searches remembered per catalog version: spans of everyday questions, a few MB at most. */
  private static final int CLOSEST_MEMO_ENTRIES = 50_000;
  private static final Pattern VOLUME = Pattern.compile(
      "(?:\\bvol(?:ume)?s?\\.?|\\bv\\.|\\bbooks?|\\btome|#)\\s*(\\d{1,3}(?:\\s*(?:,|and|&|-|to)\\s*\\d{1,3})*)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NUMBER = Pattern.compile("\\d{1,3}");
  // compiled once: normalisation runs several times per question, on the event loop
  private static final Pattern MARKS = Pattern.compile("\\p{M}");
  private static final Pattern APOSTROPHES = Pattern.compile("['’]");
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern ORDINAL_VOLUME = Pattern.compile(
      "\\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\\d{1,3}(?:st|nd|rd|th))\\s+(?:volume|vol|book)\\b",
      Pattern.CASE_INSENSITIVE);
  private static final List<String> ORDINALS = List.of("first", "second", "third", "fourth", "fifth", "sixth",
      "seventh", "eighth", "ninth", "tenth");
  private static final Pattern PRONOUN = Pattern.compile(
      "\\b(it|its|it's|that one|this one|that series|this series|the series|that manga|this manga|that|this|them|"
          + "the latest volume|the next volume|the new volume|the last volume|the first volume|the next one|the latest one|"
          + "the last one|the new one)\\b",
      Pattern.CASE_INSENSITIVE);
  /**
   * Follow-ups that name no title and use no pronoun yet can only be about the title under discussion: a facet of a
   * series asked elliptically ("how much is volume 3?", "how much does one volume cost?", "how many volumes are
   * there?", "is there a new volume coming?", "anything similar?"). Deliberately narrow: "a volume" ("the package was
   * missing a volume") and price words ("is tax included in the price?") are not here, since shop questions use them
   * without meaning the title; and only a conversation that already has a title is affected.
   */
  private static final Pattern ELLIPTICAL_REFERENCE = Pattern.compile(
      "\\b(?:vol(?:ume)?s?\\.?\\s*\\d{1,3}|(?:one|each|per|every|a single) (?:volume|vol|book)"
          + "|how many (?:volumes|vols|books)|(?:new|newer|newest|next|latest) (?:volume|vol|book|release)s?"
          + "|(?:anything|something|any(?:thing)? (?:else|more)|more) (?:similar|like (?:this|that|it))"
          + "|^\\W*(?:anything |something )?similar\\W*$)",
      Pattern.CASE_INSENSITIVE);
  /**
   * Titles that are also everyday English words: matched only when written capitalised ("Monster", not "a monster
   * manga"), so ordinary questions do not turn into product lookups.
   */
  private static final Set<String> COMMON_WORDS = Set.of("monster", "kingdom", "phoenix", "bleach", "pluto",
      "nana", "claymore", "vagabond", "parasyte", "planetes", "blame", "domestic girlfriend", "real", "holyland",
      "orange", "dragon", "air", "change", "giant", "history", "beck", "hero", "blue", "love", "club", "zero", "vinland");

  /** Words after a title that say "this is the series" ("bleach vol 74"), so even an everyday-word title counts. */
  private static final Set<String> MANGA_CONTEXT = Set.of("vol", "volume", "volumes", "v");

  /** A name as typed-for comparison: {@code compact} drops spaces and the "x" of "Hunter x Hunter". */
  private record Name(String titleId, String normalized, String compact, boolean common, int order) {}

  private final Map<String, Name> exact = new HashMap<>();
  private final Map<String, Name> exactCompact = new HashMap<>();
  /**
   * Names by first letter and compact length: a typo search only compares names that could be within its edit
   * budget (same first letter, length within the budget) instead of every name of the catalog, for every span of
   * every question, on the event loop.
   */
  private final Map<Integer, List<Name>> byFirstLetterAndLength = new HashMap<>();
  /**
   * Typo searches already made, by compact span ("isthe", "instock" recur in nearly every question): the answer
   * depends only on this resolver's catalog, so it never goes stale. Bounded: emptied when full.
   */
  private final Map<String, Optional<Name>> closestMemo = new ConcurrentHashMap<>();
  private int namesAdded;

  public EntityResolver(Catalog catalog) {
    for (CatalogTitle title : catalog.titles()) {
      for (String name : title.names()) {
        add(title.titleId(), normalize(name));
      }
    }
  }

  private void add(String titleId, String normalized) {
    if (normalized.isEmpty() || normalized.split(" ").length > MAX_NAME_WORDS) {
      return;
    }
    Name entry = new Name(titleId, normalized, compact(normalized), COMMON_WORDS.contains(normalized), namesAdded++);
    exact.putIfAbsent(normalized, entry);
    exactCompact.putIfAbsent(entry.compact(), entry);
    if (!entry.compact().isEmpty()) {
      byFirstLetterAndLength.computeIfAbsent(bucket(entry.compact().charAt(0), entry.compact().length()),
          k -> new ArrayList<>()).add(entry);
    }
    // "the promised neverland" is also typed without the article
    if (normalized.startsWith("the ") && normalized.length() > 8) {
      add(titleId, normalized.substring(4));
    }
  }

  /** "Hunter x Hunter", "hunter hunter" and "hunterxhunter" all compact to the same letters, give or take one. */
  private static String compact(String normalized) {
    return normalized.replace(" x ", "").replace(" ", "");
  }

  /**
   * @param text         the shopper's question
   * @param contextTitle the title discussed last in this conversation, or null
   */
  public ResolvedEntities resolve(String text, String contextTitle) {
    Set<String> found = new LinkedHashSet<>();
    scan(text, found, null);
    return entities(text, found, contextTitle);
  }

  /** What a turn needs from one scan of the question: its entities and its title-masked text. */
  public record Understood(ResolvedEntities entities, String masked) {}

  /** {@link #resolve} and {@link #maskTitles} in one pass over the words, as a turn needs both. */
  public Understood understand(String text, String contextTitle) {
    Set<String> found = new LinkedHashSet<>();
    StringBuilder masked = new StringBuilder(text.length());
    scan(text, found, masked);
    return new Understood(entities(text, found, contextTitle), masked.toString());
  }

  private static ResolvedEntities entities(String text, Set<String> found, String contextTitle) {
    List<Integer> volumes = volumes(text);
    if (found.isEmpty() && contextTitle != null && refersBack(text)) {
      return new ResolvedEntities(List.of(contextTitle), volumes, true);
    }
    return new ResolvedEntities(List.copyOf(found), volumes, false);
  }

  /**
   * The question with every title mention replaced by {@code the manga}: what the intent classifier reads, so that
   * "blue period vs vinland saga" and "naruto vs bleach" look alike and a title's own words do not sway the intent.
   */
  public String maskTitles(String text) {
    StringBuilder masked = new StringBuilder(text.length());
    scan(text, new LinkedHashSet<>(), masked);
    return masked.toString();
  }

  /** Walks the words left to right, taking the longest name at each position; optionally writes the masked text. */
  private void scan(String text, Set<String> found, StringBuilder masked) {
    String[] original = normalizeKeepCase(text).split(" ");
    String[] words = normalize(text).split(" ");
    if (words.length == 1 && words[0].isEmpty()) {
      return;
    }
    int i = 0;
    while (i < words.length) {
      int matched = longestMatchAt(words, original, i, found);
      if (masked != null) {
        masked.append(masked.length() == 0 ? "" : " ").append(matched > 0 ? "the manga" : words[i]);
      }
      i += Math.max(1, matched);
    }
  }

  /** Tries names of every length starting at word {@code start}, longest first; returns how many words matched. */
  private int longestMatchAt(String[] words, String[] original, int start, Set<String> found) {
    for (int n = Math.min(MAX_NAME_WORDS, words.length - start); n >= 1; n--) {
      String candidate = String.join(" ", Arrays.copyOfRange(words, start, start + n));
      String compactCandidate = compact(candidate);
      Name name = exact.get(candidate);
      if (name == null) {
        name = exactCompact.get(compactCandidate);
      }
      if (name == null && compactCandidate.length() >= 5) {
        name = closest(compactCandidate);
      }
      if (name != null && (!name.common() || capitalised(original, start) || mangaContext(words, start, n))) {
        found.add(name.titleId());
        return n;
      }
    }
    return 0;
  }

  /** The name whose compact form is within a small edit distance: one typo per five letters, at most two. */
  private Name closest(String compactCandidate) {
    Optional<Name> known = closestMemo.get(compactCandidate);
    if (known != null) {
      return known.orElse(null);
    }
    Name found = searchClosest(compactCandidate);
    if (closestMemo.size() >= CLOSEST_MEMO_ENTRIES) {
      closestMemo.clear();
    }
    closestMemo.put(compactCandidate, Optional.ofNullable(found));
    return found;
  }

  private Name searchClosest(String compactCandidate) {
    int budget = Math.min(2, compactCandidate.length() / 5);
    Name best = null;
    int bestDistance = budget + 1;
    char first = compactCandidate.charAt(0);
    for (int length = compactCandidate.length() - budget; length <= compactCandidate.length() + budget; length++) {
      for (Name name : byFirstLetterAndLength.getOrDefault(bucket(first, length), List.of())) {
        int distance = EditDistance.damerauLevenshtein(compactCandidate, name.compact(), bestDistance + 1);
        // equally close names: the catalog's first wins, whichever bucket it sits in
        if (distance < bestDistance || (distance == bestDistance && best != null && name.order() < best.order())) {
          bestDistance = distance;
          best = name;
        }
      }
    }
    return best;
  }

  private static int bucket(char firstLetter, int length) {
    return (firstLetter << 8) | Math.min(length, 255);
  }

  private static boolean mangaContext(String[] words, int start, int length) {
    int after = start + length;
    return (after < words.length && MANGA_CONTEXT.contains(words[after]))
        || (start > 0 && words[start - 1].equals("of"));
  }

  private static boolean capitalised(String[] original, int index) {
    return index < original.length && !original[index].isEmpty() && Character.isUpperCase(original[index].charAt(0));
  }

  private static boolean refersBack(String text) {
    return PRONOUN.matcher(text).find() || ELLIPTICAL_REFERENCE.matcher(text).find();
  }

  static List<Integer> volumes(String text) {
    Set<Integer> volumes = new LinkedHashSet<>();
    Matcher m = VOLUME.matcher(text);
    while (m.find()) {
      // "volumes 1 and 2", "vol 3, 4": every number of the list
      Matcher numbers = NUMBER.matcher(m.group(1));
      while (numbers.find()) {
        volumes.add(Integer.parseInt(numbers.group()));
      }
    }
    Matcher ordinal = ORDINAL_VOLUME.matcher(text);
    while (ordinal.find()) {
      String word = ordinal.group(1).toLowerCase(Locale.ROOT);
      int index = ORDINALS.indexOf(word);
      volumes.add(index >= 0 ? index + 1 : Integer.parseInt(word.replaceAll("\\D", "")));
    }
    return List.copyOf(volumes);
  }

  /** Lowercase ASCII-folded words separated by single spaces: how names and questions are compared. */
  static String normalize(String text) {
    return normalizeKeepCase(text).toLowerCase(Locale.ROOT);
  }

  private static String normalizeKeepCase(String text) {
    String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
    return NOT_WORD.matcher(APOSTROPHES.matcher(folded.replace("&", " and ")).replaceAll("")).replaceAll(" ").strip();
  }
}
