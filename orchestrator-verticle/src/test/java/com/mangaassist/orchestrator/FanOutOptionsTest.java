package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** How much of a question is embedded. */
class FanOutOptionsTest {

  private final FanOutOptions options = FanOutOptions.from(new JsonObject().put("embeddedChars", 10));

  @Test
  void aQuestionWithinTheWindowIsEmbeddedWhole() {
    assertEquals("who wrote", options.embeddedPart("who wrote"));
    assertEquals("0123456789", options.embeddedPart("0123456789"));
  }

  @Test
  void aLongerQuestionIsEmbeddedByItsBeginning() {
    assertEquals("is [title]", options.embeddedPart("is [title] volume 3 in stock"));
  }

  @Test
  void anEmojiAcrossTheEdgeIsLeftOutWhole() {
    // nine chars, then an emoji whose two chars straddle the tenth
    String question = "I love it\uD83D\uDE0D so much";
    assertEquals("I love it", options.embeddedPart(question));
    assertEquals("I love it\uD83D\uDE0D", FanOutOptions.from(new JsonObject().put("embeddedChars", 11))
        .embeddedPart(question));
  }

  @Test
  void theShippedWindowIs256Characters() {
    assertEquals(256, FanOutOptions.from(new JsonObject()).embeddedChars());
  }
}
