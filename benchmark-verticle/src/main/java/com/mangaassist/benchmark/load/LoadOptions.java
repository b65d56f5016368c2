package com.mangaassist.benchmark.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code bin/mangaassist load}. Arrivals are open-loop: {@code rate} queries per second are due
 * whatever the system does, each timed from when it was due.
 *
 * @param url the public WebSocket, {@code ws://host:8080/ws}
 * @param connections sockets opened and held for the run, one shopper (dev user) each
 * @param rate queries per second across all sockets
 * @param duration how long queries arrive
 * @param warmup the first part of {@code duration} whose queries run but are not counted
 * @param mix JSONL questions ({@code {"text":…,"weight":…}}), or null for the held-out intent examples
 * @param fresh make every question unique so no cache answers and every turn runs the full pipeline
 * @param answerTimeout a query without a terminal frame by then counts as a {@code client_timeout} error
 * @param connectConcurrency socket handshakes in flight at once while connecting
 * @param seed for the choice of questions
 */
public record LoadOptions(String url, int connections, double rate, Duration duration, Duration warmup, Path mix,
    boolean fresh, boolean json, Duration answerTimeout, int connectConcurrency, long seed) {

  static final String USAGE = "usage: bin/mangaassist load --url ws://HOST:8080/ws [--connections N] [--rate R]"
      + " [--duration 30s] [--warmup 0s] [--mix FILE] [--fresh] [--timeout 60s] [--connect-concurrency 64]"
      + " [--seed 1] [--json]";

  public LoadOptions {
    if (url == null || !(url.startsWith("ws://") || url.startsWith("wss://"))) {
      throw new IllegalArgumentException("--url must be a ws:// or wss:// address (got " + url + ")");
    }
    if (connections < 1) {
      throw new IllegalArgumentException("--connections must be at least 1");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be above 0 queries per second");
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    if (warmup.compareTo(duration) >= 0) {
      throw new IllegalArgumentException("--warmup must be shorter than --duration");
    }
  }

  /** Parses command-line options; throws {@link IllegalArgumentException} with a readable message. */
  public static LoadOptions parse(List<String> args) {
    String url = null;
    int connections = 10;
    double rate = 5;
    Duration duration = Duration.ofSeconds(30);
    Duration warmup = Duration.ZERO;
    Path mix = null;
    boolean fresh = false;
    boolean json = false;
    Duration timeout = Duration.ofSeconds(60);
    int connectConcurrency = 64;
    long seed = 1;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      switch (name) {
        case "--fresh" -> fresh = true;
        case "--json" -> json = true;
        default -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("unknown option or missing value: " + name);
          }
          String value = args.get(++i);
          switch (name) {
            case "--url" -> url = value;
            case "--connections" -> connections = integer(name, value);
            case "--rate" -> rate = number(name, value);
            case "--duration" -> duration = duration(name, value);
            case "--warmup" -> warmup = duration(name, value);
            case "--mix" -> mix = Path.of(value);
            case "--timeout" -> timeout = duration(name, value);
            case "--connect-concurrency" -> connectConcurrency = Math.max(1, integer(name, value));
            case "--seed" -> seed = integer(name, value);
            default -> throw new IllegalArgumentException("unknown option: " + name);
          }
        }
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url is required");
    }
    return new LoadOptions(url, connections, rate, duration, warmup, mix, fresh, json, timeout, connectConcurrency, seed);
  }

  /** {@code 30s}, {@code 2m}, {@code 500ms}, or plain seconds. */
  static Duration duration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " wants a duration like 30s, 2m or 500ms, not " + value);
    }
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " wants a whole number, not " + value);
    }
  }

  private static double number(String name, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " wants a number, not " + value);
    }
  }
}
