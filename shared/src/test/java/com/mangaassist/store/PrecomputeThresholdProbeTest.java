package com.mangaassist.store;

import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.embed.Vectors;
import org.junit.jupiter.api.Test;

/** On demand (-Dprecompute.probe=true): prints the MiniLM similarities behind PrecomputeMatcher.DEFAULT_THRESHOLD. */
class PrecomputeThresholdProbeTest {
  @Test
  void probe() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("precompute.probe"));
    MiniLmEmbedder e = new MiniLmEmbedder();
    String[][] pairs = {
      {"Where can I buy One Piece?", "where can I buy it?"},
      {"Where can I buy One Piece?", "how much is it?"},
      {"Where can I buy One Piece?", "I want to buy it"},
      {"Where can I buy One Piece?", "can I order it"},
      {"Where can I buy One Piece?", "how much does One Piece cost?"},
      {"Where can I buy One Piece?", "add it to my cart"},
      {"Is One Piece in stock?", "is it in stock?"},
      {"Is One Piece in stock?", "do you have it available?"},
      {"Is One Piece in stock?", "are there copies left?"},
      {"When is the next volume of One Piece out?", "when does the next one come out?"},
      {"When is the next volume of One Piece out?", "what's the latest volume?"},
      {"When is the next volume of One Piece out?", "is there a new volume?"},
      {"What manga are similar to One Piece?", "anything similar?"},
      {"What manga are similar to One Piece?", "can you recommend something like it?"},
      {"What manga are similar to One Piece?", "what else would I like?"},
      {"Tell me more about One Piece", "who wrote it?"},
      {"Tell me more about One Piece", "what is it about?"},
      {"Tell me more about One Piece", "tell me more"},
      {"Where can I buy One Piece?", "what is it about?"},
      {"Is One Piece in stock?", "when is the next volume out?"},
      {"What manga are similar to One Piece?", "where can I buy it?"},
      {"Where can I buy One Piece?", "my order never arrived"},
      {"Tell me more about One Piece", "is it in stock?"},
      {"Where can I buy One Piece?", "can I pay for it with paypal?"},
      {"Where can I buy One Piece?", "i'd like 2 copies of it"},
      {"Is One Piece in stock?", "is it in stock at your Osaka store?"},
      {"Tell me more about Kaiju No. 8", "what is Kaiju No. 8 about?"},
      {"Is Kaiju No. 8 in stock?", "do you have it?"},
      {"What manga are similar to One Piece?", "recommend me a romance manga"},
    };
    com.mangaassist.intent.EntityResolver r = new com.mangaassist.intent.EntityResolver(
        com.mangaassist.catalog.Catalog.read(java.nio.file.Path.of(System.getProperty("mangaassist.home"), "conf/catalog/catalog.json")));
    for (String[] p : pairs) {
      String a = r.maskTitles(p[0]), b = r.maskTitles(p[1]);
      String a2 = PrecomputeMatcher.matchText(a), b2 = PrecomputeMatcher.matchText(b);
      System.out.printf("masked %.3f  matchText %.3f  %s | %s%n", Vectors.cosine(e.embed(a), e.embed(b)), Vectors.cosine(e.embed(a2), e.embed(b2)), a, b);
    }
  }
}
