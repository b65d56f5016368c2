package com.mangaassist.benchmark.client;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shopper tokens signed with the orchestrator's own secret ({@code JWT_SECRET}), for a benchmark that must measure a
 * production orchestrator, where dev tokens are off: HS256 over {@code sub}, {@code iss}, {@code iat}, {@code exp}, the
 * claims the orchestrator checks. Whoever holds the secret can mint tokens anyway; this only spares the benchmark a
 * dependency on the JWT library.
 */
public final class SignedTokens {

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = BASE64URL.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final byte[] secret;
  private final String issuer;
  private final long ttlSeconds;

  /** {@code secret} as the orchestrator reads it ({@code orchestrator.auth.jwtSecret}, UTF-8 bytes). */
  public SignedTokens(String secret, String issuer, long ttlSeconds) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.issuer = issuer;
    this.ttlSeconds = ttlSeconds;
  }

  public String tokenFor(String user) {
    long now = System.currentTimeMillis() / 1000;
    String claims = BASE64URL.encodeToString(new JsonObject().put("sub", user).put("iss", issuer).put("iat", now)
        .put("exp", now + ttlSeconds).encode().getBytes(StandardCharsets.UTF_8));
    String signed = HEADER + "." + claims;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signed + "." + BASE64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
