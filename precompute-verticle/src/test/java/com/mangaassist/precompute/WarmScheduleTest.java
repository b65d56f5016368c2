package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WarmScheduleTest {

  private final WarmSchedule evening = WarmSchedule.from(new JsonObject().put("zone", "Asia/Tokyo")
      .put("at", new JsonArray().add("17:30")));

  @Test
  void theNextWarmingIsAtHalfPastFiveInTokyoWhateverTheServersZone() {
    // 17:00 JST is 08:00 UTC
    assertEquals(Duration.ofMinutes(30), evening.untilNext(Instant.parse("2026-11-28T08:00:00Z")));
    // 17:30 JST exactly has just run: the next is tomorrow's
    assertEquals(Duration.ofHours(24), evening.untilNext(Instant.parse("2026-11-28T08:30:00Z")));
    // 18:00 JST: 23.5 hours to go
    assertEquals(Duration.ofMinutes(23 * 60 + 30), evening.untilNext(Instant.parse("2026-11-28T09:00:00Z")));
    // 23:00 UTC on the 27th is already 08:00 on the 28th in Tokyo: 9.5 hours to go, the same Tokyo day
    assertEquals(Duration.ofMinutes(9 * 60 + 30), evening.untilNext(Instant.parse("2026-11-27T23:00:00Z")));
  }

  @Test
  void severalTimesRunAtTheSoonest() {
    WarmSchedule twice = WarmSchedule.from(new JsonObject().put("zone", "Asia/Tokyo")
        .put("at", new JsonArray().add("17:30").add("11:00")));
    assertEquals(Duration.ofHours(1), twice.untilNext(Instant.parse("2026-11-28T01:00:00Z")), "10:00 JST");
    assertEquals(Duration.ofMinutes(30), twice.untilNext(Instant.parse("2026-11-28T08:00:00Z")), "17:00 JST");
  }

  @Test
  void noTimesMeansNoSchedule() {
    assertNull(WarmSchedule.from(new JsonObject()));
  }
}
