package com.mangaassist.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SemanticProbeTest {

  private static final String HASH = Sha256Hex.of("do you ship to canada");

  @Test
  void aProbeSurvivesItsBytesExactly() {
    float[] embedding = new HashingTestEmbedder().embed("do you ship to canada");
    SemanticProbe decoded = SemanticProbe.decode(new SemanticProbe(HASH, 1_764_000_000_123L, embedding).encode());
    assertEquals(HASH, decoded.questionHash());
    assertEquals(1_764_000_000_123L, decoded.expiresAt());
    assertArrayEquals(embedding, decoded.embedding());
  }

  @Test
  void bytesOfAnotherFormatAreNoProbe() {
    assertNull(SemanticProbe.decode(null));
    assertNull(SemanticProbe.decode(new byte[0]));
    assertNull(SemanticProbe.decode("{\"question\":\"do you ship to canada\"}".getBytes(StandardCharsets.UTF_8)));
    assertNull(SemanticProbe.decode(new byte[8 + 64 + 3]), "a header and a partial float");
  }
}
