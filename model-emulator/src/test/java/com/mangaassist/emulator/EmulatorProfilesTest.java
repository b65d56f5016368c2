package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/** {@code PUT /_emulator/profiles}: a model made slower while the emulator runs, as a Bedrock regression would be. */
@ExtendWith(VertxExtension.class)
class EmulatorProfilesTest {

  private static EmulatorAdmin admin;
  private static BedrockRuntimeAsyncClient client;

  @BeforeAll
  static void deploy(Vertx vertx) {
    int port = TestEmulator.deploy(vertx, TestEmulator.fastConfig()).actualPort();
    admin = new EmulatorAdmin(port);
    client = TestEmulator.h2Client(port);
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  private static long millisToFirstDelta() throws Exception {
    SdkStreamCollector collector = new SdkStreamCollector(1, false);
    long start = System.nanoTime();
    var done = client.invokeModelWithResponseStream(
        EmulatorSdkTest.streamRequest(TestEmulator.anthropicBody(20)), collector.handler());
    assertTrue(collector.deltasSeen.await(20, TimeUnit.SECONDS), "no text delta");
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    done.get(20, TimeUnit.SECONDS);
    return millis;
  }

  @Test
  void aSlowerProfileTakesEffectOnTheNextRequestAndKeepsTheOtherSettings() throws Exception {
    millisToFirstDelta(); // the connection is open and the model warm before anything is timed

    JsonObject profiles = admin.updateProfiles(new JsonObject().put(TestEmulator.HAIKU,
        new JsonObject().put("ttftMs", 600)));

    JsonObject haiku = profiles.getJsonObject(TestEmulator.HAIKU);
    assertEquals(600, haiku.getInteger("ttftMs"));
    assertEquals(2000, haiku.getInteger("tokensPerSecond"), "keys not in the update keep their values");
    assertEquals(20, profiles.getJsonObject("default").getInteger("ttftMs"), "other models are untouched");
    assertTrue(millisToFirstDelta() >= 600, "the new time to first token applies at once");

    admin.updateProfiles(new JsonObject().put(TestEmulator.HAIKU, new JsonObject().put("ttftMs", 20)));
    assertTrue(millisToFirstDelta() < 600, "and can be undone");
  }

  @Test
  void aMalformedUpdateIsRefusedAndChangesNothing() {
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> admin.updateProfiles(new JsonObject().put(TestEmulator.HAIKU, "fast")));
    assertTrue(refused.getMessage().contains("updating latency profiles failed"), refused::getMessage);
    JsonObject unchanged = admin.updateProfiles(new JsonObject());
    assertEquals(20, unchanged.getJsonObject(TestEmulator.HAIKU).getInteger("ttftMs"));
  }
}
