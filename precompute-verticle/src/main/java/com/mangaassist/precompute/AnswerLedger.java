package com.mangaassist.precompute;

import com.mangaassist.store.PrecomputedAnswer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What became of every answer this instance stored, for the numbers the issue asks for: served, or expired unused
 * (waste, with the background tokens it cost), or invalidated by a catalog update; and for re-warming the sessions a
 * catalog update touched. In memory: a served answer is recognised by its text in {@code mangaassist.turn.completed}
 * (the orchestrator streams the stored text as is), so serving needs no extra Redis call or bus message.
 *
 * <p>Bounded by {@code maxSessions} (the least recently stored-to session is forgotten first, uncounted). Not
 * thread-safe: used only on the verticle's event loop.
 */
final class AnswerLedger {

  /** One stored answer and the turn that led to it. */
  record Entry(String sessionId, String id, String triggerQueryId, String triggerIntent, String intent,
      List<String> titleIds, String source, int tokens, long expiresAt, Set<Integer> textKeys) {}

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Map<String, Map<String, Entry>> bySession;

  AnswerLedger(int maxSessions) {
    this.bySession = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Map<String, Entry>> eldest) {
        return size() > maxSessions;
      }
    };
  }

  /** An answer was written (a second write of the same id, e.g. the model's answer replacing a provisional one, replaces it). */
  void stored(PrecomputedAnswer answer, String triggerIntent, long expiresAt) {
    Set<Integer> keys = new HashSet<>();
    if (answer.perVolume()) {
      answer.volumeAnswers().values().forEach(text -> keys.add(key(text)));
    } else if (answer.answer() != null) {
      keys.add(key(answer.answer()));
    }
    bySession.computeIfAbsent(answer.sessionId(), s -> new LinkedHashMap<>()).put(answer.id(),
        new Entry(answer.sessionId(), answer.id(), answer.triggerQueryId(), triggerIntent, answer.intent(),
            answer.titleIds(), answer.source(), answer.tokens(), expiresAt, Set.copyOf(keys)));
  }

  /** The answer of this session whose text was served, now counted as used; null when none matches. */
  Entry served(String sessionId, String servedText) {
    Map<String, Entry> entries = bySession.get(sessionId);
    if (entries == null || servedText == null) {
      return null;
    }
    int key = key(servedText);
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.textKeys().contains(key)) {
        it.remove();
        return entry;
      }
    }
    return null;
  }

  /** Removes and returns the entries past their expiry that were never served: the waste. */
  List<Entry> expired(long nowMs) {
    List<Entry> unused = new ArrayList<>();
    for (Iterator<Map<String, Entry>> sessions = bySession.values().iterator(); sessions.hasNext(); ) {
      Map<String, Entry> entries = sessions.next();
      for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (nowMs >= entry.expiresAt()) {
          unused.add(entry);
          it.remove();
        }
      }
      if (entries.isEmpty()) {
        sessions.remove();
      }
    }
    return unused;
  }

  /** Removes and returns the live entries about any of these titles (a catalog update dropped them from Redis). */
  List<Entry> invalidated(Collection<String> titleIds, long nowMs) {
    Set<String> titles = new HashSet<>(titleIds);
    List<Entry> dropped = new ArrayList<>();
    for (Map<String, Entry> entries : bySession.values()) {
      for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (nowMs < entry.expiresAt() && entry.titleIds().stream().anyMatch(titles::contains)) {
          dropped.add(entry);
          it.remove();
        }
      }
    }
    return dropped;
  }

  int size() {
    return bySession.values().stream().mapToInt(Map::size).sum();
  }

  /** Answers compare by their words: runs of whitespace count as one space, and the ends are trimmed. */
  private static int key(String text) {
    return WHITESPACE.matcher(text).replaceAll(" ").strip().hashCode();
  }
}
