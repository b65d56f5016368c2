package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.config.ConfigFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens from an identity provider that signs with RS256: the orchestrator holds only the public key (from config, a
 * file or {@code JWT_PUBLIC_KEY}); tokens signed with the matching private key are accepted, every other token gets
 * {@code unauthorized} and the socket is closed. HS256 tokens keep working beside them.
 */
class Rs256AuthTest {

  private static final RsaTokens PROVIDER = RsaTokens.generate();
  private static ChatHarness harness;

  @BeforeAll
  static void start() {
    harness = ChatHarness.start(new JsonObject().put("orchestrator", new JsonObject()
        .put("auth", new JsonObject().put("publicKey", PROVIDER.publicKeyPem()))));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aTokenSignedWithTheMatchingPrivateKeyIsAcceptedAndAnswered() throws Exception {
    try (ChatClient client = connectWith(PROVIDER.rs256(RsaTokens.claims("rsa-shopper", 300)))) {
      JsonObject ready = client.awaitType("ready");
      assertFalse(ready.getString("sessionId").isBlank());
      client.query("q1", ChatHarness.fresh("Tell me about Mushishi"));
      assertEquals("done", ChatClient.last(client.awaitAnswer("q1")).getString("type"));
    }
  }

  @Test
  void hs256TokensAreStillAcceptedBesideTheKey() throws Exception {
    try (ChatClient client = harness.connect("hs256-shopper")) {
      assertEquals("ready", client.awaitType("ready").getString("type"));
    }
  }

  @Test
  void everyTokenNotSignedByTheKeyIsRefusedThenTheSocketIsClosed() throws Exception {
    JsonObject valid = RsaTokens.claims("victim", 300);
    String genuine = PROVIDER.rs256(valid);
    Map<String, String> forgeries = new LinkedHashMap<>();
    forgeries.put("signed by another key pair", RsaTokens.generate().rs256(valid));
    forgeries.put("claims edited after signing", RsaTokens.withClaims(genuine, valid.copy().put("sub", "mallory")));
    forgeries.put("expired a minute ago", PROVIDER.rs256(RsaTokens.claims("victim", -60)));
    forgeries.put("another issuer", PROVIDER.rs256(valid.copy().put("iss", "someone-else")));
    forgeries.put("HS256 with the public key as its secret (algorithm confusion)",
        RsaTokens.hs256(valid, PROVIDER.publicKeyPem().getBytes(StandardCharsets.US_ASCII)));
    forgeries.put("unsigned (alg none)", RsaTokens.unsigned(valid));
    for (Map.Entry<String, String> forgery : forgeries.entrySet()) {
      ChatClient client = connectWith(forgery.getValue());
      JsonObject error = client.await(f -> !"pong".equals(f.getString("type")));
      assertEquals("error", error.getString("type"), forgery.getKey() + ": " + error);
      assertEquals("unauthorized", error.getString("code"), forgery.getKey());
      assertEquals(false, error.getBoolean("retryable"), forgery.getKey());
      assertNull(error.getString("id"));
      assertTrue(client.awaitClosed(), forgery.getKey() + ": the server closes after unauthorized");
      assertEquals((short) 1008, client.closeStatus(), forgery.getKey());
      client.close();
    }
  }

  @Test
  void thePublicKeyCanComeFromAFileOrFromTheEnvironment(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String token = PROVIDER.rs256(RsaTokens.claims("file-shopper", 300));
      String foreign = RsaTokens.generate().rs256(RsaTokens.claims("file-shopper", 300));

      Path pem = Files.writeString(dir.resolve("idp-public.pem"), PROVIDER.publicKeyPem());
      Authenticator fromFile = ChatHarness.await(Authenticator.create(vertx,
          new JsonObject().put("publicKeyFile", pem.toString()), false));
      assertEquals("file-shopper", ChatHarness.await(fromFile.userOf(token)));
      assertThrows(IllegalStateException.class, () -> ChatHarness.await(fromFile.userOf(foreign)));

      // as a deployment passes it: one line, its line breaks written as \n
      String oneLine = PROVIDER.publicKeyPem().replace("\n", "\\n");
      JsonObject auth = ConfigFiles.load(Map.of("JWT_PUBLIC_KEY", oneLine))
          .getJsonObject("orchestrator").getJsonObject("auth");
      Authenticator fromEnvironment = ChatHarness.await(Authenticator.create(vertx, auth, false));
      assertEquals("file-shopper", ChatHarness.await(fromEnvironment.userOf(token)));
      assertThrows(IllegalStateException.class, () -> ChatHarness.await(fromEnvironment.userOf(foreign)));
    } finally {
      ChatHarness.await(vertx.close());
    }
  }

  @Test
  void withoutASecretOrAUsableKeyTheOrchestratorRefusesToStart(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      for (JsonObject auth : List.of(
          new JsonObject(),
          new JsonObject().put("publicKey", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----"),
          new JsonObject().put("publicKeyFile", dir.resolve("missing.pem").toString()))) {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> ChatHarness.await(Authenticator.create(vertx, auth, false)), auth::encode);
        assertFalse(String.valueOf(refused.getMessage()).isBlank());
      }
    } finally {
      ChatHarness.await(vertx.close());
    }
  }

  private static ChatClient connectWith(String token) {
    ChatClient client = ChatClient.connectWebSocket(harness.vertx, harness.port, "/ws");
    client.send(new JsonObject().put("action", "auth").put("token", token));
    return client;
  }
}
