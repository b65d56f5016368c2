package com.mangaassist.orchestrator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.Base64;

/** Verifies shoppers' JWTs (HS256, expiry honoured) and, in dev mode, issues them. */
final class Authenticator {

  private final JWTAuth jwt;
  private final String issuer;
  private final int devTokenTtlSeconds;

  private Authenticator(JWTAuth jwt, String issuer, int devTokenTtlSeconds) {
    this.jwt = jwt;
    this.issuer = issuer;
    this.devTokenTtlSeconds = devTokenTtlSeconds;
  }

  /**
   * Outside dev mode a secret is required (refusing to start beats accepting forged tokens); in dev mode a
   * random one is made per process when none is configured.
   */
  static Authenticator create(Vertx vertx, JsonObject auth, boolean devMode) {
    String secret = auth.getString("jwtSecret");
    if (secret == null || secret.isBlank()) {
      if (!devMode) {
        throw new IllegalStateException("JWT_SECRET (orchestrator.auth.jwtSecret) is required outside dev mode");
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      secret = Base64.getEncoder().encodeToString(random);
    }
    String issuer = auth.getString("issuer", "mangaassist");
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions().setIssuer(issuer)));
    return new Authenticator(jwt, issuer, auth.getInteger("devTokenTtlSeconds", 86_400));
  }

  /** The user id ({@code sub}) of a valid token; fails for a bad, expired or foreign token. */
  Future<String> userOf(String token) {
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      String subject = user.principal().getString("sub");
      return subject == null || subject.isBlank()
          ? Future.failedFuture("token has no subject")
          : Future.succeededFuture(subject);
    });
  }

  String devToken(String user) {
    return jwt.generateToken(new JsonObject().put("sub", user),
        new JWTOptions().setIssuer(issuer).setExpiresInSeconds(devTokenTtlSeconds));
  }
}
