package com.mangaassist.embed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    return entries.get(text);
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
    Map<String, float[]> byText = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String text : new LinkedHashSet<>(texts)) {
      float[] known = get(text);
      if (known == null) {
        missing.add(text);
      } else {
        byText.put(text, known);
      }
    }
    List<float[]> computed = missing.isEmpty() ? List.of() : embedder.embedAll(missing);
    for (int i = 0; i < missing.size(); i++) {
      put(missing.get(i), computed.get(i));
      byText.put(missing.get(i), computed.get(i));
    }
    return texts.stream().map(byText::get).toList();
  }
}
