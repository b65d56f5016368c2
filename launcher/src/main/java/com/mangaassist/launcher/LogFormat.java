package com.mangaassist.launcher;

import java.util.Locale;

/**
 * {@code LOG_FORMAT}: {@code text} (default, {@code logback.xml}) or {@code json} ({@code logback-json.xml}, one JSON
 * object per line). Logback reads its configuration when the first logger is created, so this runs first in
 * {@link Main#main}, before anything logs; it works the same for {@code bin/mangaassist} and a plain
 * {@code java -jar} (containers). An explicit {@code -Dlogback.configurationFile} wins.
 */
final class LogFormat {

  static final String CONFIGURATION_PROPERTY = "logback.configurationFile";
  static final String JSON_CONFIGURATION = "logback-json.xml";

  private LogFormat() {}

  static void select(String format) {
    if (format == null || format.isBlank() || System.getProperty(CONFIGURATION_PROPERTY) != null) {
      return;
    }
    switch (format.strip().toLowerCase(Locale.ROOT)) {
      case "json" -> System.setProperty(CONFIGURATION_PROPERTY, JSON_CONFIGURATION);
      case "text" -> { }
      default -> System.err.println("LOG_FORMAT must be text or json (got " + format + "); logging as text");
    }
  }
}
