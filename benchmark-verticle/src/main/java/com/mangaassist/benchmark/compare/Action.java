package com.mangaassist.benchmark.compare;

/** What a finding leads to, as published in alerts. */
public enum Action {
  NONE("none"),
  LOG("log"),
  PAGE("page"),
  ROLLBACK("rollback");

  private final String label;

  Action(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
