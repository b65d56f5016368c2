package com.mangaassist.orchestrator;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An identity provider in miniature: an RSA key pair made for the test run (no private key is ever written to disk)
 * and JWTs signed by hand with {@code java.security}, independently of the library that verifies them.
 */
final class RsaTokens {

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  final KeyPair keys;

  private RsaTokens(KeyPair keys) {
    this.keys = keys;
  }

  static RsaTokens generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new RsaTokens(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as an identity provider publishes it: PEM, {@code -----BEGIN PUBLIC KEY-----} (X.509). */
  String publicKeyPem() {
    return pem(keys.getPublic());
  }

  static String pem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** Claims as the orchestrator expects them: {@code sub}, issuer {@code mangaassist}, issued now, expiring later. */
  static JsonObject claims(String user, long expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", user).put("iss", "mangaassist").put("iat", now).put("exp", now + expiresInSeconds);
  }

  /** An RS256 JWT signed with this pair's private key. */
  String rs256(JsonObject claims) {
    String signingInput = segment(new JsonObject().put("alg", "RS256").put("typ", "JWT")) + "." + segment(claims);
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys.getPrivate());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + URL.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HS256 JWT with the given bytes as its HMAC key. */
  static String hs256(JsonObject claims, byte[] key) {
    String signingInput = segment(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + segment(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signingInput + "." + URL.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsigned JWT ({@code alg: none}). */
  static String unsigned(JsonObject claims) {
    return segment(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + segment(claims) + ".";
  }

  /** The token with its claims replaced and its signature kept: what a shopper editing their own token makes. */
  static String withClaims(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + segment(claims) + "." + parts[2];
  }

  private static String segment(JsonObject json) {
    return URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
