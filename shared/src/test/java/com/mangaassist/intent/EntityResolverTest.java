package com.mangaassist.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Titles (with aliases and typos), volume numbers and pronouns, on the labeled set in conf/eval/entities.jsonl. */
class EntityResolverTest {

  private static final Path HOME = Path.of(System.getProperty("mangaassist.home", "..")).toAbsolutePath().normalize();

  private static Catalog catalog;
  private static EntityResolver resolver;

  @BeforeAll
  static void load() throws Exception {
    catalog = Catalog.read(HOME.resolve("conf/catalog/catalog.json"));
    resolver = new EntityResolver(catalog);
  }

  @Test
  void labeledCasesResolveToTheRightTitlesAndVolumes() throws Exception {
    List<String> lines = Files.readAllLines(HOME.resolve("conf/eval/entities.jsonl"), StandardCharsets.UTF_8);
    int titlesRight = 0;
    int volumesRight = 0;
    List<String> misses = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject example = new JsonObject(line);
      ResolvedEntities resolved = resolver.resolve(example.getString("text"), example.getString("context"));
      List<String> expectedTitles = example.getJsonArray("titles").getList();
      List<Integer> expectedVolumes = example.getJsonArray("volumes").getList();
      if (resolved.titleIds().equals(expectedTitles)) {
        titlesRight++;
      } else {
        misses.add(example.getString("text") + " -> " + resolved.titleIds() + " (expected " + expectedTitles + ")");
      }
      if (resolved.volumes().equals(expectedVolumes)) {
        volumesRight++;
      } else {
        misses.add(example.getString("text") + " -> volumes " + resolved.volumes() + " (expected " + expectedVolumes + ")");
      }
    }
    int total = (int) lines.stream().filter(l -> !l.isBlank()).count();
    double titleAccuracy = (double) titlesRight / total;
    double volumeAccuracy = (double) volumesRight / total;
    System.out.printf("entity resolution on %d labeled messages: titles %.1f %%, volumes %.1f %%%n", total,
        100 * titleAccuracy, 100 * volumeAccuracy);
    misses.forEach(m -> System.out.println("  miss: " + m));
    assertTrue(titleAccuracy >= 0.9, "title accuracy " + titleAccuracy);
    assertTrue(volumeAccuracy >= 0.95, "volume accuracy " + volumeAccuracy);
  }

  @Test
  void oneScanGivesWhatResolvingAndMaskingGiveAndATypoIsFoundTheSameWayTwice() throws Exception {
    for (String line : Files.readAllLines(HOME.resolve("conf/eval/entities.jsonl"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject example = new JsonObject(line);
      String text = example.getString("text");
      String context = example.getString("context");
      EntityResolver.Understood understood = resolver.understand(text, context);
      assertEquals(resolver.resolve(text, context), understood.entities(), text);
      assertEquals(resolver.maskTitles(text), understood.masked(), text);
    }
    // the second lookup of a misspelt span comes from the memo of typo searches: same answer
    for (int i = 0; i < 2; i++) {
      assertEquals(List.of("jujutsu-kaisen"), resolver.resolve("is jujutsu kiasen finished", null).titleIds());
      assertEquals("is the manga finished", resolver.maskTitles("is jujutsu kiasen finished"));
    }
  }

  @Test
  void pronounsFollowTheConversationButNeverInventATitle() {
    assertEquals(List.of("one-piece"), resolver.resolve("is it in stock?", "one-piece").titleIds());
    assertTrue(resolver.resolve("is it in stock?", "one-piece").fromContext());
    assertEquals(List.of(), resolver.resolve("is it in stock?", null).titleIds());
    assertEquals(List.of("naruto"), resolver.resolve("is Naruto in stock?", "one-piece").titleIds(),
        "a title in the question beats the conversation's");
  }

  @Test
  void ellipticalFollowUpsAboutAFacetOfTheSeriesFollowTheConversation() {
    for (String followUp : List.of("How much is volume 3?", "how much does one volume cost?", "how many volumes are there?",
        "is there a new volume coming?", "Anything similar?", "got anything else like that?", "price of vol. 12?")) {
      assertEquals(List.of("one-piece"), resolver.resolve(followUp, "one-piece").titleIds(), followUp);
      assertTrue(resolver.resolve(followUp, "one-piece").fromContext(), followUp);
      assertEquals(List.of(), resolver.resolve(followUp, null).titleIds(), "no conversation, no title: " + followUp);
    }
    assertEquals(List.of(3), resolver.resolve("How much is volume 3?", "one-piece").volumes());
    // shop questions that merely mention volumes or prices are not about the series under discussion
    for (String shopQuestion : List.of("the package I got was missing a volume", "Is tax included in the price?",
        "Do you ship to Canada?", "recommend me a romance manga", "How long does shipping take to Osaka?")) {
      assertEquals(List.of(), resolver.resolve(shopQuestion, "one-piece").titleIds(), shopQuestion);
    }
  }

  @Test
  void everydayWordsThatAreAlsoTitlesNeedCapitals() {
    assertEquals(List.of(), resolver.resolve("recommend a monster manga for kids", null).titleIds());
    assertEquals(List.of("monster"), resolver.resolve("Is Monster by Urasawa good?", null).titleIds());
  }

  @Test
  void volumesInManyShapes() {
    assertEquals(List.of(3), resolver.resolve("Do you have vol. 3 of Berserk?", null).volumes());
    assertEquals(List.of(108), resolver.resolve("one piece volume 108", null).volumes());
    assertEquals(List.of(3), resolver.resolve("the third volume of Frieren", null).volumes());
    assertEquals(List.of(), resolver.resolve("where is order #48213", null).volumes());
  }
}
