package com.mangaassist.launcher;

import com.mangaassist.benchmark.load.LoadCommand;
import com.mangaassist.benchmark.compare.BenchCompareCommand;
import com.mangaassist.benchmark.replay.BenchRunCommand;
import java.util.Arrays;
import java.util.List;

/** {@code bin/mangaassist ROLE [options]}: one runnable jar, one role per process (or all of them in {@code dev}). */
public final class Main {

  static final String USAGE = String.join("\n",
      "usage: bin/mangaassist ROLE [options]",
      "",
      "roles:",
      "  dev            emulator + orchestrator + precompute + benchmark in one JVM, with Redis at REDIS_URL or an embedded one",
      "  orchestrator   the chat front door (WebSocket /ws, SockJS /sockjs, event-bus bridge /eventbus) on HTTP_PORT (8080)",
      "  emulator       the Bedrock Runtime emulator on EMULATOR_PORT (8089)",
      "  precompute     predicts follow-ups of completed turns and answers them ahead (conf/precompute.json)",
      "  benchmark      synthetic replay on a schedule, regression verdicts, alerts, rollbacks; /report on 8082",
      "  (each role, dev too, takes --cluster: its event bus joins the others' over Hazelcast, conf/cluster.json)",
      "  watch alerts|results",
      "                 joins the cluster and prints alerts or benchmark results, one JSON line each, as they are published",
      "  precompute eval --trace FILE [--url ws://127.0.0.1:8080/ws] [--pause-scale 1.0] [--concurrency 8] [--json]",
      "                 replays a conversation trace: follow-ups served from precompute, wrong-served, waste",
      "  load --url ws://HOST:8080/ws [--connections N] [--rate R] [--duration 30s] [--warmup 0s] [--mix FILE]",
      "       [--fresh] [--timeout 60s] [--json]",
      "                 open-loop WebSocket load: client time to first token, server overhead, totals, server heap/CPU",
      "  bench warmup [--rounds N]",
      "                 time to first token with and without model warm-up, side by side",
      "  bench checklist [--rounds N] [--json]",
      "                 each optimisation of the seed's checklist as a with/without pair, client time to first token",
      "  bench jmh [JMH options, e.g. HotPath -f 1]",
      "                 JMH microbenchmarks of the hot path: resolve + classify, embedding, prompt, frames, decoder, cache",
      "  bench pipeline [--queries N] [--concurrency C]",
      "                 time before the model call and server overhead, from real turns",
      "  bench run --url ws://HOST:8080/ws [--per-intent 50] [--warmup 5] [--sockets 4] [--seed N] --out run.json",
      "                 synthetic replay per intent through the public WebSocket, with a progress bar; writes a run file",
      "  bench compare BASE.json NEW.json [--json]",
      "                 statistics and severity per intent of two runs, benchstat-style table or JSON",
      "  opensearch [--data DIR] [--port 9200]",
      "                 a real local OpenSearch node with the k-NN plugin on 127.0.0.1 (then set OPENSEARCH_URL)",
      "",
      "configuration: conf/*.json, overridden by environment variables (see README).");

  private Main() {}

  private static void bench(List<String> options) {
    String which = options.isEmpty() ? "" : options.get(0);
    try {
      switch (which) {
        case "warmup" -> WarmUpBenchmark.run(intOption(options, "--rounds", 10));
        case "pipeline" -> PipelineBenchmark.run(intOption(options, "--queries", 300), intOption(options, "--concurrency", 8));
        case "checklist" -> ChecklistBenchmark.run(intOption(options, "--rounds", 20), options.contains("--json"));
        case "jmh" -> org.openjdk.jmh.Main.main(options.subList(1, options.size()).toArray(String[]::new));
        case "compare" -> System.exit(BenchCompareCommand.run(options.subList(1, options.size())));
        case "run" -> System.exit(BenchRunCommand.run(options.subList(1, options.size())));
        default -> {
          System.err.println("usage: bin/mangaassist bench warmup [--rounds N] | bench checklist [--rounds N] [--json] | bench run --url WS --out FILE | bench compare BASE NEW [--json]"
              + " | bench pipeline [--queries N] [--concurrency C]");
          System.exit(2);
        }
      }
      System.exit(0);
    } catch (Exception e) {
      System.err.println("bench " + which + " failed: " + e);
      System.exit(1);
    }
  }

  private static int intOption(List<String> options, String name, int fallback) {
    int index = options.indexOf(name);
    return index >= 0 && index + 1 < options.size() ? Integer.parseInt(options.get(index + 1)) : fallback;
  }

  public static void main(String[] args) {
    if (args.length == 0 || List.of("-h", "--help", "help").contains(args[0])) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    List<String> options = Arrays.asList(args).subList(1, args.length);
    boolean clustered = options.contains("--cluster");
    switch (args[0]) {
      case "dev" -> RoleRunner.run(Role.DEV, clustered);
      case "orchestrator" -> RoleRunner.run(Role.ORCHESTRATOR, clustered);
      case "emulator" -> RoleRunner.run(Role.EMULATOR, clustered);
      case "precompute" -> {
        if (!options.isEmpty() && "eval".equals(options.get(0))) {
          PrecomputeEvaluation.run(options.subList(1, options.size()));
        } else {
          RoleRunner.run(Role.PRECOMPUTE, clustered);
        }
      }
      case "benchmark" -> RoleRunner.run(Role.BENCHMARK, clustered);
      case "watch" -> System.exit(WatchCommand.run(options));
      case "bench" -> bench(options);
      case "load" -> System.exit(LoadCommand.run(options, System.out, System.err));
      case "opensearch" -> OpenSearchCommand.run(options);
      default -> {
        System.err.println("unknown role: " + args[0]);
        System.err.println(USAGE);
        System.exit(2);
      }
    }
  }
}
