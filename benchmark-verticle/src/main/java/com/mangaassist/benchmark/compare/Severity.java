package com.mangaassist.benchmark.compare;

/** Regression severity of the seed design's table, weakest first, with the action each one calls for. */
public enum Severity {
  NONE("none", Action.NONE),
  /** Log and flag on the dashboard. */
  SEV_3("SEV-3", Action.LOG),
  /** Page the on-call engineer. */
  SEV_2("SEV-2", Action.PAGE),
  /** Roll back automatically and page. */
  SEV_1("SEV-1", Action.ROLLBACK);

  private final String label;
  private final Action action;

  Severity(String label, Action action) {
    this.label = label;
    this.action = action;
  }

  public String label() {
    return label;
  }

  /** The action this severity calls for once it is confirmed (see {@link PersistenceGate}). */
  public Action action() {
    return action;
  }

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }

  public static Severity max(Severity a, Severity b) {
    return a.atLeast(b) ? a : b;
  }

  public static Severity min(Severity a, Severity b) {
    return a.atLeast(b) ? b : a;
  }
}
