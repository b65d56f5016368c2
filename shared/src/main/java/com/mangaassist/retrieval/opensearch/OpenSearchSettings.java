package com.mangaassist.retrieval.opensearch;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the OpenSearch catalog index lives and how to talk to it: {@code retrieval.opensearch} of
 * {@code conf/retrieval.json}, every key optional but {@code url} ({@code OPENSEARCH_URL}).
 *
 * @param url the cluster's REST endpoint, {@code http://127.0.0.1:9200} for the local node; user info in it
 *     ({@code https://user:password@host}) is sent as basic authentication
 * @param index the catalog index ({@code mangaassist-catalog-v1}); give a new name when the mapping changes, since a
 *     mapping cannot change in place
 * @param connectTimeout how long opening a connection may take
 * @param searchTimeout how long a search may take before it fails (the orchestrator drops its retrieval branch far
 *     sooner, at its fan-out deadline; this bounds the request itself)
 * @param indexTimeout how long one bulk or admin request may take
 * @param bulkBatchSize titles per bulk request (each carries a 384-float embedding, about 4 KiB of JSON)
 * @param shards primary shards; 1 keeps BM25 statistics identical to the embedded index's for a few hundred titles
 *     (not sent to Serverless, which manages shards itself)
 * @param replicas 0 for the single local node; 1 or more on a real cluster (not sent to Serverless)
 * @param hnswM graph degree of the HNSW index (Lucene's default 16, as the embedded index)
 * @param hnswEfConstruction build-time beam of the HNSW index (Lucene's default 100, as the embedded index)
 * @param refreshOnWrite whether writes wait until they are searchable ({@code refresh=wait_for}); never asked of
 *     Serverless, which refreshes on its own schedule
 * @param retryMin first wait before syncing the catalog again after a failure (doubles up to {@code retryMax})
 * @param retryMax longest wait between sync attempts
 * @param aws SigV4 signing for Amazon OpenSearch Service and Serverless
 */
public record OpenSearchSettings(
    URI url,
    String index,
    Duration connectTimeout,
    Duration searchTimeout,
    Duration indexTimeout,
    int bulkBatchSize,
    int shards,
    int replicas,
    int hnswM,
    int hnswEfConstruction,
    boolean refreshOnWrite,
    Duration retryMin,
    Duration retryMax,
    AwsSigning aws) {

  /**
   * SigV4 signing of every request with the default AWS credential chain (environment, {@code ~/.aws}, instance or
   * task role).
   *
   * @param enabled {@code sign}: {@code "auto"} (default) signs for hosts under {@code .es.amazonaws.com} (Service)
   *     and {@code .aoss.amazonaws.com} (Serverless); {@code true} or {@code false} force it (custom domain names)
   * @param region the signing region; default: read from an AWS host name, else {@code us-east-1}
   * @param service the signing name: {@code es} for OpenSearch Service, {@code aoss} for Serverless; default: from
   *     the host name, else {@code es}
   */
  public record AwsSigning(boolean enabled, String region, String service) {}

  // search-name-id.us-east-1.es.amazonaws.com, vpc-name-id.eu-west-1.es.amazonaws.com, id.us-east-1.aoss.amazonaws.com
  private static final Pattern AWS_HOST = Pattern.compile(".*\\.([a-z0-9-]+)\\.(es|aoss)\\.amazonaws\\.com");

  /** The settings, or null when no {@code url} is configured (the embedded index answers then). */
  public static OpenSearchSettings fromJson(JsonObject config) {
    String url = config.getString("url", "");
    if (url == null || url.isBlank()) {
      return null;
    }
    URI uri = URI.create(url.strip());
    if (uri.getHost() == null || uri.getScheme() == null) {
      throw new IllegalArgumentException("OpenSearch url must look like http(s)://host[:port], got " + url);
    }
    JsonObject hnsw = config.getJsonObject("hnsw", new JsonObject());
    return new OpenSearchSettings(
        uri,
        config.getString("index", "mangaassist-catalog-v1"),
        Duration.ofMillis(config.getLong("connectTimeoutMs", 1000L)),
        Duration.ofMillis(config.getLong("searchTimeoutMs", 1000L)),
        Duration.ofMillis(config.getLong("indexTimeoutMs", 60_000L)),
        Math.max(1, config.getInteger("bulkBatchSize", 200)),
        Math.max(1, config.getInteger("shards", 1)),
        Math.max(0, config.getInteger("replicas", 0)),
        Math.max(2, hnsw.getInteger("m", 16)),
        Math.max(2, hnsw.getInteger("efConstruction", 100)),
        config.getBoolean("refreshOnWrite", true),
        Duration.ofMillis(config.getLong("retryMinMs", 2000L)),
        Duration.ofMillis(config.getLong("retryMaxMs", 60_000L)),
        signing(uri, config.getJsonObject("aws", new JsonObject())));
  }

  private static AwsSigning signing(URI uri, JsonObject aws) {
    Matcher awsHost = AWS_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT));
    boolean isAwsHost = awsHost.matches();
    Object sign = aws.getValue("sign", "auto");
    boolean enabled = "auto".equals(sign) ? isAwsHost : Boolean.parseBoolean(String.valueOf(sign));
    String region = aws.getString("region", "");
    String service = aws.getString("service", "");
    return new AwsSigning(enabled,
        !region.isBlank() ? region : isAwsHost ? awsHost.group(1) : "us-east-1",
        !service.isBlank() ? service : isAwsHost ? awsHost.group(2) : "es");
  }

  /** Amazon OpenSearch Serverless: no shard, replica or refresh settings of ours; it manages them. */
  public boolean serverless() {
    return aws.enabled() && "aoss".equals(aws.service());
  }

  /** The URL without user info, for logs. */
  public String endpoint() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
  }
}
