package com.mangaassist.store;

import com.mangaassist.embed.Vectors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the semantic tier compares a question with, and no more: the expiry, the question's hash and its embedding, as
 * raw bytes (8 bytes of expiry, the 64 hex characters of the hash, then float32 little-endian). A lookup reads every
 * probe of a scope on the event loop; the answers, which only a candidate above the threshold needs, stay in the exact
 * tier's entries, found by the hash.
 *
 * @param questionHash SHA-256 hex of the normalised question: the entry's field in the scope's hash and the last part
 *     of its exact-tier key
 */
record SemanticProbe(String questionHash, long expiresAt, float[] embedding) {

  private static final int HASH_BYTES = 64;
  private static final int HEADER_BYTES = Long.BYTES + HASH_BYTES;

  SemanticProbe {
    if (questionHash.length() != HASH_BYTES) {
      throw new IllegalArgumentException("a question hash is 64 hex characters: " + questionHash);
    }
  }

  byte[] encode() {
    ByteBuffer bytes = ByteBuffer.allocate(HEADER_BYTES + embedding.length * Float.BYTES);
    bytes.putLong(expiresAt);
    bytes.put(questionHash.getBytes(StandardCharsets.US_ASCII));
    Vectors.write(embedding, bytes);
    return bytes.array();
  }

  /** The probe in {@code stored}, or null for bytes that are not one (an entry of another format). */
  static SemanticProbe decode(byte[] stored) {
    if (stored == null || stored.length <= HEADER_BYTES || (stored.length - HEADER_BYTES) % Float.BYTES != 0) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.wrap(stored);
    long expiresAt = bytes.getLong();
    String questionHash = new String(stored, Long.BYTES, HASH_BYTES, StandardCharsets.US_ASCII);
    return new SemanticProbe(questionHash, expiresAt, Vectors.read(bytes.position(HEADER_BYTES)));
  }
}
