package com.mangaassist.precompute;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Local times of day at which trending answers are warmed ahead of a known peak: by default 17:30 in Tokyo, before
 * the shop's evening rush (config {@code precompute.trending.schedule}: {@code zone}, {@code at} as "HH:mm" strings,
 * {@code topN}). Computed with java.time in the shop's zone, so the time holds whatever the server's zone; a time
 * that a daylight-saving change skips runs at the shifted instant java.time gives it.
 */
final class WarmSchedule {

  private final ZoneId zone;
  private final List<LocalTime> times;

  WarmSchedule(ZoneId zone, List<LocalTime> times) {
    if (times.isEmpty()) {
      throw new IllegalArgumentException("a warm schedule needs at least one time");
    }
    this.zone = zone;
    this.times = List.copyOf(times);
  }

  /** The schedule of {@code schedule}, or null when it has no times (scheduled warming off). */
  static WarmSchedule from(JsonObject schedule) {
    JsonArray at = schedule.getJsonArray("at", new JsonArray());
    if (at.isEmpty()) {
      return null;
    }
    List<LocalTime> times = new ArrayList<>();
    at.forEach(t -> times.add(LocalTime.parse(String.valueOf(t))));
    return new WarmSchedule(ZoneId.of(schedule.getString("zone", "Asia/Tokyo")), times);
  }

  /** Time from {@code now} to the next scheduled warming, strictly after {@code now}. */
  Duration untilNext(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    ZonedDateTime next = null;
    for (LocalTime time : times) {
      ZonedDateTime candidate = ZonedDateTime.of(local.toLocalDate(), time, zone);
      if (!candidate.isAfter(local)) {
        candidate = ZonedDateTime.of(local.toLocalDate().plusDays(1), time, zone);
      }
      if (next == null || candidate.isBefore(next)) {
        next = candidate;
      }
    }
    return Duration.between(now, next.toInstant());
  }
}
