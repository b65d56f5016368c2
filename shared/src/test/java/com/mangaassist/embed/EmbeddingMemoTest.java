package com.mangaassist.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Texts seen before are not embedded again, and every caller gets its vectors in the order it asked. */
class EmbeddingMemoTest {

  /** Embeds a text as its length; records every text it was asked for. */
  private static final class CountingEmbedder implements Embedder {
    final List<String> asked = new ArrayList<>();

    @Override
    public float[] embed(String text) {
      asked.add(text);
      return new float[] {text.length()};
    }

    @Override
    public int dimensions() {
      return 1;
    }
  }

  @Test
  void aBatchComputesOnlyTheTextsNotSeenBeforeOnceEachAndKeepsItsOrder() {
    EmbeddingMemo memo = new EmbeddingMemo(100);
    CountingEmbedder embedder = new CountingEmbedder();
    memo.embed("is it in stock", embedder);

    List<float[]> vectors = memo.embedAll(List.of("where can i buy it", "is it in stock", "where can i buy it", "a"),
        embedder);

    assertEquals(List.of("is it in stock", "where can i buy it", "a"), embedder.asked);
    assertArrayEquals(new float[] {18}, vectors.get(0));
    assertArrayEquals(new float[] {14}, vectors.get(1));
    assertArrayEquals(new float[] {18}, vectors.get(2));
    assertArrayEquals(new float[] {1}, vectors.get(3));
    assertSame(vectors.get(1), memo.embed("is it in stock", embedder), "remembered, not recomputed");
    assertEquals(3, embedder.asked.size());
  }

  @Test
  void aMemoOfNoCapacityStillAnswersEveryText() {
    EmbeddingMemo memo = new EmbeddingMemo(0);
    CountingEmbedder embedder = new CountingEmbedder();
    assertEquals(2, memo.embedAll(List.of("ab", "abc"), embedder).size());
    memo.embed("ab", embedder);
    assertEquals(List.of("ab", "abc", "ab"), embedder.asked);
  }
}
