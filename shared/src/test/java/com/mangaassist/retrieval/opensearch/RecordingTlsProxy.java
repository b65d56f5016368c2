package com.mangaassist.retrieval.opensearch;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTPS front for the local node, as Amazon OpenSearch Service is an HTTPS front for its nodes: it records each
 * request exactly as it arrived (so a test can check its SigV4 signature) and passes it on to the real node.
 */
final class RecordingTlsProxy implements AutoCloseable {

  /** One request as received. */
  record Received(String method, String uri, MultiMap headers, Buffer body) {}

  private final HttpServer server;
  private final HttpClient client;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private RecordingTlsProxy(Vertx vertx, int nodePort, PfxOptions keyStore) throws Exception {
    this.client = vertx.createHttpClient();
    this.server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(keyStore))
        .requestHandler(request -> request.body().onSuccess(body -> pass(request, body, nodePort)))
        .listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool, and the trust store that trusts it. */
  static Path[] selfSigned(Path dir, String password) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("proxy.p12");
    Path certificate = dir.resolve("proxy.crt");
    Path trustStore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "proxy", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", password);
    keytool("-exportcert", "-alias", "proxy", "-keystore", keyStore.toString(), "-storepass", password,
        "-file", certificate.toString());
    keytool("-importcert", "-noprompt", "-alias", "proxy", "-file", certificate.toString(),
        "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", password);
    return new Path[] {keyStore, trustStore};
  }

  static RecordingTlsProxy start(Vertx vertx, int nodePort, Path keyStore, String password) throws Exception {
    return new RecordingTlsProxy(vertx, nodePort, new PfxOptions().setPath(keyStore.toString()).setPassword(password));
  }

  int port() {
    return server.actualPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void pass(HttpServerRequest request, Buffer body, int nodePort) {
    received.add(new Received(request.method().name(), request.uri(), MultiMap.caseInsensitiveMultiMap()
        .addAll(request.headers()), body));
    client.request(request.method(), nodePort, "127.0.0.1", request.uri())
        .compose(toNode -> {
          request.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
              toNode.putHeader(name, value);
            }
          });
          return toNode.send(body);
        })
        .compose(response -> response.body().map(answer -> new Object[] {response, answer}))
        .onSuccess(result -> {
          HttpClientResponse response = (HttpClientResponse) result[0];
          request.response().setStatusCode(response.statusCode());
          response.headers().forEach((name, value) -> {
            // the body is passed on whole (and possibly gzip-encoded, as received): the length is recomputed
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")) {
              request.response().headers().add(name, value);
            }
          });
          request.response()
              .end((Buffer) result[1]);
        })
        .onFailure(e -> request.response().setStatusCode(502).end(e.toString()));
  }

  @Override
  public void close() throws Exception {
    Future.join(server.close(), client.close()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
