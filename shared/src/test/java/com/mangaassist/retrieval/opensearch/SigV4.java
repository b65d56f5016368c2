package com.mangaassist.retrieval.opensearch;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Checks a received request's SigV4 signature the way AWS does: by signing the same request again with the secret. */
final class SigV4 {

  private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");
  private static final Pattern SIGNED_HEADERS = Pattern.compile("SignedHeaders=([^,\\s]+)");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private SigV4() {}

  static String signatureOf(String authorization) {
    Matcher m = SIGNATURE.matcher(authorization);
    return m.find() ? m.group(1) : "no signature in " + authorization;
  }

  /** The signature the request must carry: its signed headers and body signed at its own x-amz-date. */
  static String expectedSignature(RecordingTlsProxy.Received request, int port, String accessKey, String secret,
      String region, String service) {
    Matcher signedHeaders = SIGNED_HEADERS.matcher(request.headers().get("authorization"));
    if (!signedHeaders.find()) {
      return "no SignedHeaders";
    }
    SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.fromValue(request.method()))
        .uri(URI.create("https://127.0.0.1:" + port + request.uri()));
    for (String header : signedHeaders.group(1).split(";")) {
      if (!header.equals("x-amz-date")) {
        unsigned.putHeader(header, List.copyOf(request.headers().getAll(header)));
      }
    }
    Instant signedAt = Instant.from(AMZ_DATE.parse(request.headers().get("x-amz-date")));
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(AwsCredentialsIdentity.create(accessKey, secret))
        .request(unsigned.build())
        .payload(ContentStreamProvider.fromByteArray(request.body().getBytes()))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    return signatureOf(signed.request().firstMatchingHeader("Authorization").orElse(""));
  }
}
