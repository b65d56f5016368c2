package com.mangaassist.orchestrator;

import com.mangaassist.config.ConfigFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Verifies shoppers' JWTs, expiry honoured: HS256 with a shared secret, RS256 with an identity provider's public key,
 * or both side by side. The token's {@code alg} picks the key, so an HS256 token can never be checked against the RSA
 * public key (the classic algorithm-confusion forgery). In dev mode it also issues HS256 tokens.
 *
 * <p>Configuration ({@code orchestrator.auth}): {@code jwtSecret}, {@code publicKey} (PEM text) or
 * {@code publicKeyFile} (a PEM file, relative to the installation directory), {@code issuer}, {@code devTokenTtlSeconds}.
 */
final class Authenticator {

  private static final String HS256 = "HS256";
  private static final String RS256 = "RS256";

  private final JWTAuth jwt;
  private final String issuer;
  private final int devTokenTtlSeconds;

  private Authenticator(JWTAuth jwt, String issuer, int devTokenTtlSeconds) {
    this.jwt = jwt;
    this.issuer = issuer;
    this.devTokenTtlSeconds = devTokenTtlSeconds;
  }

  /**
   * Outside dev mode a secret or a public key is required (refusing to start beats accepting forged tokens); in dev
   * mode a random HS256 secret is made per process when none is configured, for dev tokens. A public key that does
   * not parse fails the start as well.
   */
  static Future<Authenticator> create(Vertx vertx, JsonObject auth, boolean devMode) {
    return publicKeyPem(vertx, auth).map(publicKey -> build(vertx, auth, devMode, publicKey));
  }

  private static Authenticator build(Vertx vertx, JsonObject auth, boolean devMode, String publicKey) {
    String secret = auth.getString("jwtSecret");
    boolean hasSecret = secret != null && !secret.isBlank();
    if (!hasSecret && publicKey == null && !devMode) {
      throw new IllegalStateException("JWT_SECRET (orchestrator.auth.jwtSecret) or JWT_PUBLIC_KEY "
          + "(orchestrator.auth.publicKey / publicKeyFile) is required outside dev mode");
    }
    String issuer = auth.getString("issuer", "mangaassist");
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(issuer));
    if (hasSecret || devMode) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(HS256).setBuffer(hasSecret ? secret : randomSecret()));
    }
    if (publicKey != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(RS256).setBuffer(publicKey));
    }
    JWTAuth jwt;
    try {
      jwt = JWTAuth.create(vertx, options);
    } catch (RuntimeException e) {
      throw new IllegalStateException("the JWT keys are not usable (is the public key a PEM \"PUBLIC KEY\"?): "
          + e.getMessage(), e);
    }
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
        new JWTOptions().setAlgorithm(HS256).setIssuer(issuer).setExpiresInSeconds(devTokenTtlSeconds));
  }

  /** The RS256 public key as PEM text, from {@code publicKey} or read (off the event loop) from {@code publicKeyFile}. */
  private static Future<String> publicKeyPem(Vertx vertx, JsonObject auth) {
    String inline = auth.getString("publicKey");
    if (inline != null && !inline.isBlank()) {
      // a PEM in an environment variable often arrives with its line breaks written as \n
      return Future.succeededFuture(inline.replace("\\n", "\n").strip());
    }
    String file = auth.getString("publicKeyFile");
    if (file == null || file.isBlank()) {
      return Future.succeededFuture(null);
    }
    String path = ConfigFiles.home().resolve(file).toString();
    return vertx.fileSystem().readFile(path)
        .map(Buffer::toString)
        .map(String::strip)
        .recover(e -> Future.failedFuture(new IllegalStateException("cannot read the JWT public key " + path, e)));
  }

  private static String randomSecret() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }
}
