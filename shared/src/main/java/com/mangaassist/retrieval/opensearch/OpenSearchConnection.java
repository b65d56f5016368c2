package com.mangaassist.retrieval.opensearch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * One asynchronous OpenSearch client with its own request timeout, over the transport the endpoint needs: Apache
 * HttpClient 5 for a plain cluster (the local node, self-managed ones), the AWS SDK's Netty client with SigV4 signing
 * ({@code AwsSdk2Transport}, signer of {@code http-auth-aws}) for Amazon OpenSearch Service and Serverless. Both are
 * non-blocking: a request's future completes on the client's I/O threads, never holding an event loop.
 */
final class OpenSearchConnection implements AutoCloseable {

  private final OpenSearchAsyncClient client;
  private final OpenSearchTransport transport;
  private final SdkAsyncHttpClient awsHttp;

  private OpenSearchConnection(OpenSearchTransport transport, SdkAsyncHttpClient awsHttp) {
    this.client = new OpenSearchAsyncClient(transport);
    this.transport = transport;
    this.awsHttp = awsHttp;
  }

  /** A client whose every request fails once {@code requestTimeout} passes without a complete answer. */
  static OpenSearchConnection open(OpenSearchSettings settings, Duration requestTimeout) {
    return settings.aws().enabled() ? signed(settings, requestTimeout) : plain(settings, requestTimeout);
  }

  OpenSearchAsyncClient client() {
    return client;
  }

  private static OpenSearchConnection plain(OpenSearchSettings settings, Duration requestTimeout) {
    HttpHost host = new HttpHost(settings.url().getScheme(), settings.url().getHost(), port(settings));
    ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
        .setMapper(new JacksonJsonpMapper())
        .setConnectionConfigCallback(connection -> connection
            .setConnectTimeout(Timeout.of(settings.connectTimeout()))
            .setSocketTimeout(Timeout.of(requestTimeout)))
        .setRequestConfigCallback(request -> request
            .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
            .setResponseTimeout(Timeout.of(requestTimeout)));
    String userInfo = settings.url().getUserInfo();
    if (userInfo != null && !userInfo.isBlank()) {
      builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))});
    }
    String path = settings.url().getPath();
    if (path != null && !path.isBlank() && !path.equals("/")) {
      builder.setPathPrefix(path);
    }
    return new OpenSearchConnection(builder.build(), null);
  }

  private static OpenSearchConnection signed(OpenSearchSettings settings, Duration requestTimeout) {
    // No acquisition timeout of our own: acquiring a new connection includes its TLS handshake, which in a cold JVM
    // took longer than a second here; the SDK's default (10 s) bounds it, the read timeout bounds the request.
    SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
        .connectionTimeout(settings.connectTimeout())
        .readTimeout(requestTimeout)
        .writeTimeout(requestTimeout)
        .build();
    // AwsSdk2Transport always speaks https to the host it is given
    String host = settings.url().getHost() + (settings.url().getPort() > 0 ? ":" + settings.url().getPort() : "");
    AwsSdk2Transport transport = new AwsSdk2Transport(http, host, settings.aws().service(),
        Region.of(settings.aws().region()),
        AwsSdk2TransportOptions.builder()
            .setCredentials(DefaultCredentialsProvider.builder().build())
            .setMapper(new JacksonJsonpMapper())
            .build());
    return new OpenSearchConnection(transport, http);
  }

  private static int port(OpenSearchSettings settings) {
    if (settings.url().getPort() > 0) {
      return settings.url().getPort();
    }
    return "https".equalsIgnoreCase(settings.url().getScheme()) ? 443 : 80;
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (java.io.IOException e) {
      // closing a client's connection pool; nothing left to do about it
    } finally {
      if (awsHttp != null) {
        awsHttp.close(); // AwsSdk2Transport leaves the HTTP client it was given to its owner
      }
    }
  }
}
