package com.mangaassist.launcher;

import java.util.Arrays;
import java.util.List;

/** {@code bin/mangaassist ROLE [options]}: one runnable jar, one role per process (or all of them in {@code dev}). */
public final class Main {

  static final String USAGE = String.join("\n",
      "usage: bin/mangaassist ROLE [options]",
      "",
      "roles:",
      "  dev            emulator + orchestrator + precompute in one JVM, with Redis at REDIS_URL or an embedded one",
      "  orchestrator   the chat front door (WebSocket /ws, SockJS /sockjs) on HTTP_PORT (8080)",
      "  emulator       the Bedrock Runtime emulator on EMULATOR_PORT (8089)",
      "  precompute     predicts follow-ups of completed turns and answers them ahead (conf/precompute.json)",
      "  bench warmup [--rounds N]",
      "                 time to first token with and without model warm-up, side by side",
      "",
      "configuration: conf/*.json, overridden by environment variables (see README).");

  private Main() {}

  private static void bench(List<String> options) {
    if (options.isEmpty() || !options.get(0).equals("warmup")) {
      System.err.println("usage: bin/mangaassist bench warmup [--rounds N]");
      System.exit(2);
    }
    int index = options.indexOf("--rounds");
    int rounds = index >= 0 && index + 1 < options.size() ? Integer.parseInt(options.get(index + 1)) : 10;
    try {
      WarmUpBenchmark.run(rounds);
      System.exit(0);
    } catch (Exception e) {
      System.err.println("bench warmup failed: " + e.getMessage());
      System.exit(1);
    }
  }

  public static void main(String[] args) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    List<String> options = Arrays.asList(args).subList(1, args.length);
    if (options.contains("--cluster")) {
      System.err.println("--cluster is not available yet: roles run standalone (clustering arrives with the cluster issue)");
      System.exit(2);
    }
    switch (args[0]) {
      case "dev" -> RoleRunner.run(Role.DEV);
      case "orchestrator" -> RoleRunner.run(Role.ORCHESTRATOR);
      case "emulator" -> RoleRunner.run(Role.EMULATOR);
      case "precompute" -> RoleRunner.run(Role.PRECOMPUTE);
      case "bench" -> bench(options);
      default -> {
        System.err.println("unknown role: " + args[0]);
        System.err.println(USAGE);
        System.exit(2);
      }
    }
  }
}
