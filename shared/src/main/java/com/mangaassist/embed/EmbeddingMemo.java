package com.mangaassist.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embeddings of recently seen texts, least recently used out first. Questions with their titles masked repeat a
 * lot ("is the manga in stock", "where can i buy the manga"), and a hit saves a worker hop and a few milliseconds
 * of CPU before the model call. Thread-safe: looked up on event loops, filled from workers.
 */
public final class EmbeddingMemo {

  private final int capacity;
  private final Map<String, float[]> entries;
  private long hits;
  private long misses;

  public EmbeddingMemo(int capacity) {
    this.capacity = Math.max(0, capacity);
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > EmbeddingMemo.this.capacity;
      }
    };
  }

  /** The remembered vector (callers must not modify it), or null. */
  public synchronized float[] get(String text) {
    float[] vector = entries.get(text);
    if (vector == null) {
      misses++;
    } else {
      hits++;
    }
    return vector;
  }

  public synchronized void put(String text, float[] vector) {
    if (capacity > 0) {
      entries.put(text, vector);
    }
  }

  /** Blocking (run it on a worker): the text's embedding, remembered or computed by {@code embedder} and remembered. */
  public float[] embed(String text, Embedder embedder) {
    float[] vector = get(text);
    if (vector == null) {
      vector = embedder.embed(text);
      put(text, vector);
    }
    return vector;
  }

  /**
   * Blocking (run it on a worker): the texts' embeddings in order, the remembered ones from memory, the others computed
   * in one batch by {@code embedder} and remembered.
   */
  public List<float[]> embedAll(List<String> texts, Embedder embedder) {
    float[][] vectors = new float[texts.size()][];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      vectors[i] = get(texts.get(i));
      if (vectors[i] == null && !missing.contains(texts.get(i))) {
        missing.add(texts.get(i));
      }
    }
    if (!missing.isEmpty()) {
      List<float[]> computed = embedder.embedAll(missing);
      for (int i = 0; i < missing.size(); i++) {
        put(missing.get(i), computed.get(i));
      }
      for (int i = 0; i < texts.size(); i++) {
        if (vectors[i] == null) {
          vectors[i] = computed.get(missing.indexOf(texts.get(i)));
        }
      }
    }
    return Arrays.asList(vectors);
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }
}
