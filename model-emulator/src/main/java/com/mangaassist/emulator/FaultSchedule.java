package com.mangaassist.emulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Faults armed through the admin endpoint or the config, consumed by the next matching streaming requests.
 * Used from the emulator's event loop only.
 */
final class FaultSchedule {

  /** {@code remaining} = -1 means "until cleared"; {@code modelId} null matches every model. */
  private static final class Armed {
    final Fault fault;
    final String modelId;
    int remaining;

    Armed(Fault fault, String modelId, int remaining) {
      this.fault = fault;
      this.modelId = modelId;
      this.remaining = remaining;
    }
  }

  private final List<Armed> armed = new ArrayList<>();

  /** Arms one fault from {@code {"fault":NAME,"after":N,"count":K,"modelId":optional}}. */
  void arm(JsonObject spec) {
    int count = spec.getInteger("count", 1);
    if (count == 0 || count < -1) {
      throw new IllegalArgumentException("count must be >= 1 or -1");
    }
    armed.add(new Armed(Fault.fromJson(spec), spec.getString("modelId"), count));
  }

  /** Arms a single spec object or an array of them. */
  void armAll(Object specs) {
    if (specs instanceof JsonObject single) {
      arm(single);
    } else if (specs instanceof JsonArray many) {
      for (int i = 0; i < many.size(); i++) {
        arm(many.getJsonObject(i));
      }
    } else if (specs != null) {
      throw new IllegalArgumentException("faults must be an object or an array of objects");
    }
  }

  void clear() {
    armed.clear();
  }

  /** The fault for the next streaming request to {@code modelId}, or null; consumes one use of it. */
  Fault take(String modelId) {
    Iterator<Armed> it = armed.iterator();
    while (it.hasNext()) {
      Armed a = it.next();
      if (a.modelId != null && !a.modelId.equals(modelId)) {
        continue;
      }
      if (a.remaining > 0 && --a.remaining == 0) {
        it.remove();
      }
      return a.fault;
    }
    return null;
  }
}
