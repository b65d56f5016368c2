package com.mangaassist.store;

import com.mangaassist.embed.Embedder;
import com.mangaassist.embed.Vectors;
import java.util.Locale;

/**
 * A deterministic stand-in for the sentence-embedding model in unit tests: words and character trigrams hashed into
 * a fixed number of signed buckets, then L2-normalised. It measures lexical overlap only, so it finds rephrasings
 * that share words and misses those that need real semantics ("similar to" vs "like").
 */
final class HashingTestEmbedder implements Embedder {

  private static final int DIMENSIONS = 384;
  private static final float WORD_WEIGHT = 1.0f;
  private static final float TRIGRAM_WEIGHT = 0.35f;

  @Override
  public float[] embed(String text) {
    float[] vector = new float[DIMENSIONS];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (word.isEmpty()) {
        continue;
      }
      add(vector, "w:" + word, WORD_WEIGHT);
      String padded = "#" + word + "#";
      for (int i = 0; i + 3 <= padded.length(); i++) {
        add(vector, "t:" + padded.substring(i, i + 3), TRIGRAM_WEIGHT);
      }
    }
    return Vectors.normalize(vector);
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  private static void add(float[] vector, String feature, float weight) {
    int hash = mix(feature.hashCode());
    int bucket = Math.floorMod(hash, DIMENSIONS);
    // a second, independent bit picks the sign so that bucket collisions cancel out instead of piling up
    vector[bucket] += ((hash >>> 16) & 1) == 0 ? weight : -weight;
  }

  /** Murmur3's finaliser: spreads String.hashCode's weak low bits over the whole int. */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
