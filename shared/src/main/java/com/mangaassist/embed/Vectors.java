package com.mangaassist.embed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Arithmetic on embedding vectors, and their bytes as stored in Redis. */
public final class Vectors {

  private Vectors() {}

  /** Cosine similarity of two L2-normalised vectors (their dot product). */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("dimensions differ: " + a.length + " vs " + b.length);
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  /** Scales a vector to unit length in place and returns it. */
  public static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }

  /** The vector as float32 little-endian bytes, written into {@code bytes} at its position (which advances). */
  public static void write(float[] v, ByteBuffer bytes) {
    bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
    bytes.position(bytes.position() + v.length * Float.BYTES);
  }

  /** The float32 little-endian vector filling the rest of {@code bytes}. */
  public static float[] read(ByteBuffer bytes) {
    float[] v = new float[bytes.remaining() / Float.BYTES];
    bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
