package com.mangaassist.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/mangaassist} process of a test, started as a user starts it: its standard output line by line, its
 * standard error in {@code launcher/target/NAME.log} (read it when a test fails).
 */
final class RoleProcess implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  final String name;
  final Process process;
  final LinkedBlockingQueue<String> lines;

  private RoleProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.lines = ProcessLines.of(process);
  }

  static RoleProcess start(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/mangaassist").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("BEDROCK_ENDPOINT");
    builder.environment().putAll(env);
    Path log = log(name);
    Files.deleteIfExists(log);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new RoleProcess(name, builder.start());
  }

  static Path log(String name) {
    return ROOT.resolve("launcher/target/" + name + ".log");
  }

  /** Waits for the first line that starts with {@code prefix}; fails naming the process and its log. */
  String awaitLine(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
      if (line == null && !process.isAlive()) {
        break;
      }
    }
    throw new AssertionError(name + " printed no line starting with \"" + prefix + "\" (alive: " + process.isAlive()
        + "); see " + log(name));
  }

  /** SIGTERM, as Ctrl-C or an orchestrator of containers would send; SIGKILL if it does not stop. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }
}
