package com.mangaassist.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sentence encoder gives unit vectors whose geometry reflects meaning, and gives them reproducibly. */
class MiniLmEmbedderTest {

  private static Vertx vertx;
  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void loadModelOnce() throws Exception {
    vertx = Vertx.vertx();
    embedder = MiniLmEmbedder.load(vertx).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void vectorsHave384DimensionsAndUnitLength() {
    float[] v = embedder.embed("Is the latest volume of One Piece in stock?");
    assertEquals(384, v.length);
    assertEquals(384, embedder.dimensions());
    assertEquals(1.0, Vectors.cosine(v, v), 1e-4);
  }

  @Test
  void similarQuestionsAreCloserThanUnrelatedOnes() {
    float[] pirates = embedder.embed("a manga about a pirate crew searching for treasure");
    float[] sailors = embedder.embed("story of pirates sailing the seas to find a legendary treasure");
    float[] cooking = embedder.embed("recipes for a quick weeknight dinner");
    assertTrue(Vectors.cosine(pirates, sailors) > Vectors.cosine(pirates, cooking) + 0.2,
        "paraphrase " + Vectors.cosine(pirates, sailors) + " vs unrelated " + Vectors.cosine(pirates, cooking));
  }

  @Test
  void sameTextGivesTheSameVectorAlsoInABatch() {
    String text = "volleyball manga with a short middle blocker";
    float[] once = embedder.embed(text);
    assertArrayEquals(once, embedder.embed(text), 1e-6f);
    List<float[]> batch = embedder.embedAll(List.of("something else entirely", text));
    assertEquals(2, batch.size());
    assertArrayEquals(once, batch.get(1), 1e-5f, "batch keeps input order and matches single embedding");
  }

  @Test
  void blankTextStillGetsAVector() {
    assertEquals(384, embedder.embed("   ").length);
    assertEquals(List.of(), embedder.embedAll(List.of()));
  }
}
