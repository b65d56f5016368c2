package com.mangaassist.emulator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Blocking test-side access to the emulator's admin endpoints (call from the JUnit thread only). */
public final class EmulatorAdmin {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI base;

  public EmulatorAdmin(int port) {
    this.base = URI.create("http://127.0.0.1:" + port);
  }

  public JsonObject stats() {
    return new JsonObject(send(HttpRequest.newBuilder(base.resolve("/_emulator/stats")).GET()).body());
  }

  public void reset() {
    send(HttpRequest.newBuilder(base.resolve("/_emulator/reset")).POST(HttpRequest.BodyPublishers.noBody()));
    send(HttpRequest.newBuilder(base.resolve("/_emulator/faults")).DELETE());
  }

  public void armFault(String fault, int after, int count) {
    armFault(new JsonObject().put("fault", fault).put("after", after).put("count", count));
  }

  /** Merges {@code profiles} ({@code {"<modelId or default>": {latency profile}}}) into the emulator's profiles. */
  public JsonObject updateProfiles(JsonObject profiles) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/_emulator/profiles"))
        .PUT(HttpRequest.BodyPublishers.ofString(profiles.encode())));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("updating latency profiles failed: " + response.body());
    }
    return new JsonObject(response.body());
  }

  public void clearFaults() {
    send(HttpRequest.newBuilder(base.resolve("/_emulator/faults")).DELETE());
  }

  public void armFault(JsonObject spec) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/_emulator/faults"))
        .POST(HttpRequest.BodyPublishers.ofString(spec.encode())));
    if (response.statusCode() != 204) {
      throw new IllegalStateException("arming fault failed: " + response.body());
    }
  }

  /** Polls the stats until {@code condition} holds (the emulator learns about cancellations asynchronously). */
  public JsonObject awaitStats(Predicate<JsonObject> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject stats = stats();
    while (!condition.test(stats)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("emulator stats never matched: " + stats.encode());
      }
      Thread.sleep(20);
      stats = stats();
    }
    return stats;
  }

  public HttpResponse<byte[]> post(String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
