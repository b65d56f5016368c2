package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromptAndFaultParsingTest {

  @Test
  void faultHeaderAndJsonForms() {
    assertEquals(new Fault(Fault.Type.THROTTLE, 0), Fault.fromHeader("throttle"));
    assertEquals(new Fault(Fault.Type.STALL, 4), Fault.fromHeader("stall; after=4"));
    assertEquals(new Fault(Fault.Type.HTTP_503, 0), Fault.fromJson(new JsonObject().put("fault", "http-503")));
    assertThrows(IllegalArgumentException.class, () -> Fault.fromHeader("explode"));
    assertThrows(IllegalArgumentException.class, () -> Fault.fromHeader("stall;after=-1"));
  }

  @Test
  void scheduledFaultsHonourCountAndModel() {
    FaultSchedule schedule = new FaultSchedule();
    schedule.armAll(new JsonArray()
        .add(new JsonObject().put("fault", "http-429").put("count", 2).put("modelId", "a"))
        .add(new JsonObject().put("fault", "stall").put("count", -1)));
    assertEquals(Fault.Type.HTTP_429, schedule.take("a").type());
    assertEquals(Fault.Type.STALL, schedule.take("b").type());
    assertEquals(Fault.Type.HTTP_429, schedule.take("a").type());
    assertEquals(Fault.Type.STALL, schedule.take("a").type());
    assertEquals(Fault.Type.STALL, schedule.take("a").type());
    schedule.clear();
    assertNull(schedule.take("a"));
  }

  @Test
  void catalogLinesWithVaryingFieldsBecomeARecommendation() {
    String prompt = "Something like Berserk?\n<catalog>\n"
        + "title: Vagabond | author: Takehiko Inoue | priceJpy: 1320 | inStock: false\n"
        + "title: Claymore | genre: Dark Fantasy\n"
        + "</catalog>";
    InvocationRequest request = new InvocationRequest("", List.of(new InvocationRequest.Turn("user", prompt)), 500,
        List.of());
    String answer = new AnswerComposer().compose(request, new Random(1));

    assertTrue(answer.contains("1. Vagabond by Takehiko Inoue - it costs \u00a51320 and is currently out of stock"),
        answer);
    assertTrue(answer.contains("2. Claymore (dark fantasy)"), answer);
    assertTrue(answer.contains("as soon as Vagabond is back in stock"), answer);
    assertEquals("Something like Berserk?", CatalogItem.withoutCatalog(prompt));
  }

  @Test
  void withoutCatalogTheAnswerEchoesTheQuestion() {
    InvocationRequest request = new InvocationRequest("",
        List.of(new InvocationRequest.Turn("user", "What is a good manga for learning Japanese?")), 500, List.of());
    String answer = new AnswerComposer().compose(request, new Random(1));
    assertTrue(answer.startsWith("Thanks for your question about \"What is a good manga for learning Japanese\""),
        answer);
  }

  @Test
  void tokensReassembleToTheTextAndDeltasHoldOneToThreeTokens() {
    String text = "Extraordinarily long words, punctuation!\n\nAnd ¥528 prices.";
    List<String> tokens = TokenSplitter.tokens(text);
    assertEquals(text, String.join("", tokens));
    List<List<String>> deltas = TokenSplitter.deltas(tokens, 1, 3, new Random(3));
    assertTrue(deltas.stream().allMatch(d -> d.size() >= 1 && d.size() <= 3));
    assertEquals(tokens.size(), deltas.stream().mapToInt(List::size).sum());
  }

  @Test
  void contentBlocksAndSystemBlocksAreAccepted() {
    JsonObject body = new JsonObject()
        .put("anthropic_version", "bedrock-2023-05-31")
        .put("max_tokens", 10)
        .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "sys")))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "hello")))))
        .put("stop_sequences", new JsonArray().add("END"));
    InvocationRequest request = InvocationRequest.fromAnthropic(body);
    assertEquals("sys", request.system());
    assertEquals("hello", request.lastUserText());
    assertEquals(List.of("END"), request.stopSequences());
    assertThrows(InvocationRequest.InvalidRequest.class,
        () -> InvocationRequest.fromAnthropic(body.copy().put("temperature", 3)));
  }
}
