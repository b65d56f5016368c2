package com.mangaassist.emulator;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * A failure the emulator injects into one request.
 *
 * @param type  what goes wrong
 * @param after how many text deltas are sent before an in-stream fault strikes (ignored for HTTP errors)
 */
public record Fault(Type type, int after) {

  /** Fault names as used in the {@code x-emulator-fault} header, the admin endpoint and the config. */
  public enum Type {
    HTTP_429("http-429", BedrockError.THROTTLING),
    HTTP_400("http-400", BedrockError.VALIDATION),
    HTTP_503("http-503", BedrockError.SERVICE_UNAVAILABLE),
    HTTP_500("http-500", BedrockError.INTERNAL_SERVER),
    THROTTLE("throttle", BedrockError.THROTTLING),
    MODEL_STREAM_ERROR("model-stream-error", BedrockError.MODEL_STREAM_ERROR),
    STALL("stall", null),
    ABRUPT_CLOSE("abrupt-close", null);

    public final String wireName;
    final BedrockError error;

    Type(String wireName, BedrockError error) {
      this.wireName = wireName;
      this.error = error;
    }

    /** HTTP errors replace the whole response; the other faults happen inside a 200 event stream. */
    boolean beforeStream() {
      return wireName.startsWith("http-");
    }

    static Type fromWireName(String name) {
      String wanted = name.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values())
          .filter(t -> t.wireName.equals(wanted))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown emulator fault '" + name + "'"));
    }
  }

  public Fault {
    if (after < 0) {
      throw new IllegalArgumentException("after must be >= 0");
    }
  }

  /** Parses the header form {@code NAME} or {@code NAME;after=N}. */
  public static Fault fromHeader(String header) {
    String[] parts = header.split(";");
    int after = 0;
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("after")) {
        after = Integer.parseInt(kv[1].trim());
      } else {
        throw new IllegalArgumentException("bad fault parameter '" + parts[i] + "'");
      }
    }
    return new Fault(Type.fromWireName(parts[0]), after);
  }

  /** Parses the JSON form {@code {"fault":"NAME","after":N}}. */
  public static Fault fromJson(JsonObject json) {
    String name = json.getString("fault");
    if (name == null) {
      throw new IllegalArgumentException("missing 'fault'");
    }
    return new Fault(Type.fromWireName(name), json.getInteger("after", 0));
  }
}
