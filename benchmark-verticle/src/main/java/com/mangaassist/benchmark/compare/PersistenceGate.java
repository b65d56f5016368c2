package com.mangaassist.benchmark.compare;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Holds back pages and rollbacks until a finding persists. A SEV-2 or SEV-1 finding (same intent and metric)
 * acts only when it was SEV-2 or worse in {@code requiredRuns} consecutive runs; until then it is logged. A
 * single noisy run, which at 96 runs a day is a daily event at any sensible α, then costs nobody a night.
 *
 * <p>The confirmed action is that of the mildest severity among those runs: SEV-2 then SEV-1 pages, and only
 * SEV-1 in every one of them rolls back, so a drastic action never rests on one run. SEV-3 is always logged
 * at once. Intents or metrics missing from a run break their streak.
 *
 * <p>Feed it every run in order, one call per run. Not thread-safe: one detector owns one gate.
 */
public final class PersistenceGate {

  private final int requiredRuns;
  /** Per intent and metric, the current streak of SEV-2-or-worse runs. */
  private final Map<Key, Streak> streaks = new HashMap<>();

  public PersistenceGate(int requiredRuns) {
    if (requiredRuns < 1) {
      throw new IllegalArgumentException("requiredRuns must be at least 1: " + requiredRuns);
    }
    this.requiredRuns = requiredRuns;
  }

  /** Records one run's findings and returns the decision for each, in the same order. */
  public List<Decision> record(List<Finding> run) {
    Map<Key, Streak> continued = new HashMap<>();
    List<Decision> decisions = new ArrayList<>(run.size());
    for (Finding finding : run) {
      Key key = new Key(finding.intent(), finding.metric());
      if (!finding.severity().atLeast(Severity.SEV_2)) {
        decisions.add(new Decision(finding, 0, finding.severity().action()));
        continue;
      }
      Streak streak = Objects.requireNonNullElseGet(streaks.get(key), Streak::new);
      streak.extend(finding.severity(), requiredRuns);
      continued.put(key, streak);
      decisions.add(new Decision(finding, streak.length, confirmedAction(streak)));
    }
    streaks.clear();
    streaks.putAll(continued);
    return decisions;
  }

  private Action confirmedAction(Streak streak) {
    if (streak.length < requiredRuns) {
      return Action.LOG;
    }
    Severity mildest = Severity.SEV_1;
    for (Severity severity : streak.latest) {
      mildest = Severity.min(mildest, severity);
    }
    return mildest.action();
  }

  private record Key(String intent, Metric metric) {}

  /** A run of consecutive SEV-2-or-worse findings: its length and the severities of its latest runs. */
  private static final class Streak {
    int length;
    final Deque<Severity> latest = new ArrayDeque<>();

    void extend(Severity severity, int keep) {
      length++;
      latest.addLast(severity);
      if (latest.size() > keep) {
        latest.removeFirst();
      }
    }
  }
}
