package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.mangaassist.store.PrecomputedAnswer;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerLedgerTest {

  private final AnswerLedger ledger = new AnswerLedger(100);

  private static PrecomputedAnswer answer(String session, String id, String title, String text, String source, int tokens) {
    return new PrecomputedAnswer(id, session, "q1", "question " + id, "masked", "purchase", List.of(title), List.of(),
        null, text, new JsonArray(), source, tokens, 0, 0);
  }

  @Test
  void aServedAnswerIsRecognisedByItsStreamedTextInItsOwnSessionOnly() {
    ledger.stored(answer("s1", "a", "bleach", "You can buy Bleach here. Vol. 74 is in stock.", "catalog", 0), "product_info", 1000);
    assertNull(ledger.served("s2", "You can buy Bleach here. Vol. 74 is in stock."), "another session's text");
    // the orchestrator streams sentence by sentence and re-joins them with single spaces
    AnswerLedger.Entry served = ledger.served("s1", "You can buy Bleach here.  Vol. 74 is in stock. ");
    assertEquals("a", served.id());
    assertEquals("product_info", served.triggerIntent());
    assertNull(ledger.served("s1", "You can buy Bleach here. Vol. 74 is in stock."), "counted once");
  }

  @Test
  void aPerVolumeAnswerIsServedByAnyOfItsVolumesTexts() {
    PrecomputedAnswer perVolume = new PrecomputedAnswer("v", "s1", "q1", "How much is volume {volume} of Bleach?", "m",
        "product_info", List.of("bleach"), List.of(), null, null, new JsonArray(), "catalog", 0, 0, 0, "price",
        Map.of(1, "Vol. 1 of Bleach is ¥484.", 2, "Vol. 2 of Bleach is ¥484, out of stock."));
    ledger.stored(perVolume, "product_info", 1000);
    assertEquals("v", ledger.served("s1", "Vol. 2 of Bleach is ¥484, out of stock. ").id());
  }

  @Test
  void whatExpiresUnservedIsWasteWithItsTokensAndWhatACatalogUpdateDropsIsNot() {
    ledger.stored(answer("s1", "model", "bleach", "prose", "model", 120), "product_info", 1000);
    ledger.stored(answer("s1", "data", "naruto", "data", "catalog", 0), "product_info", 1000);
    ledger.stored(answer("s2", "later", "naruto", "later", "catalog", 0), "purchase", 5000);
    assertEquals(List.of("model"), ledger.invalidated(List.of("bleach"), 500).stream().map(AnswerLedger.Entry::id).toList());
    assertEquals(List.of(), ledger.expired(999));
    List<AnswerLedger.Entry> wasted = ledger.expired(1000);
    assertEquals(List.of("data"), wasted.stream().map(AnswerLedger.Entry::id).toList());
    assertEquals(1, ledger.size(), "only the unexpired one is left");
  }
}
