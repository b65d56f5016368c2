package com.mangaassist.retrieval.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.Embedder;
import com.mangaassist.retrieval.CatalogSearch;
import com.mangaassist.retrieval.CatalogSearches;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which backend and which signing a configuration means, without any node. */
class OpenSearchSettingsTest {

  @Test
  void noUrlMeansTheEmbeddedIndex() throws Exception {
    assertNull(OpenSearchSettings.fromJson(new JsonObject()));
    assertNull(OpenSearchSettings.fromJson(new JsonObject().put("url", " ")));
    Vertx vertx = Vertx.vertx();
    try (CatalogSearch search = CatalogSearches.create(vertx, new FixedEmbedder(), ConfigFiles.load(Map.of())
        .getJsonObject("retrieval"))) {
      assertEquals("lucene", search.backend(), "conf/retrieval.json ships without a url");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void openSearchUrlSelectsOpenSearch() throws Exception {
    JsonObject config = ConfigFiles.load(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9200"));
    assertEquals("http://127.0.0.1:9200", config.getJsonObject("retrieval").getJsonObject("opensearch").getString("url"));
    Vertx vertx = Vertx.vertx();
    try (CatalogSearch search = CatalogSearches.create(vertx, new FixedEmbedder(), config.getJsonObject("retrieval"))) {
      assertEquals("opensearch", search.backend());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aPlainClusterIsNotSigned() {
    OpenSearchSettings local = OpenSearchSettings.fromJson(new JsonObject().put("url", "http://127.0.0.1:9200"));
    assertFalse(local.aws().enabled());
    assertEquals("mangaassist-catalog-v1", local.index());
    assertEquals(1, local.shards());
  }

  @Test
  void anOpenSearchServiceDomainIsSignedForEsInItsRegion() {
    OpenSearchSettings domain = OpenSearchSettings.fromJson(new JsonObject()
        .put("url", "https://search-manga-shop-abc123xyz.eu-west-1.es.amazonaws.com"));
    assertEquals(new OpenSearchSettings.AwsSigning(true, "eu-west-1", "es"), domain.aws());
    assertFalse(domain.serverless());
    OpenSearchSettings vpc = OpenSearchSettings.fromJson(new JsonObject()
        .put("url", "https://vpc-manga-shop-abc123.ap-northeast-1.es.amazonaws.com:443"));
    assertEquals(new OpenSearchSettings.AwsSigning(true, "ap-northeast-1", "es"), vpc.aws());
  }

  @Test
  void aServerlessCollectionIsSignedForAoss() {
    OpenSearchSettings collection = OpenSearchSettings.fromJson(new JsonObject()
        .put("url", "https://07tjusf2h91cunochc.us-east-1.aoss.amazonaws.com"));
    assertEquals(new OpenSearchSettings.AwsSigning(true, "us-east-1", "aoss"), collection.aws());
    assertTrue(collection.serverless());
  }

  @Test
  void aCustomDomainNameIsSignedWhenConfigured() {
    OpenSearchSettings custom = OpenSearchSettings.fromJson(new JsonObject()
        .put("url", "https://search.manga-shop.example")
        .put("aws", new JsonObject().put("sign", true).put("region", "ap-northeast-1").put("service", "es")));
    assertEquals(new OpenSearchSettings.AwsSigning(true, "ap-northeast-1", "es"), custom.aws());
    OpenSearchSettings unsigned = OpenSearchSettings.fromJson(new JsonObject()
        .put("url", "https://search-x-abc.us-east-1.es.amazonaws.com").put("aws", new JsonObject().put("sign", false)));
    assertFalse(unsigned.aws().enabled(), "sign=false wins over the host name");
  }

  @Test
  void aUrlWithoutSchemeOrHostIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> OpenSearchSettings.fromJson(new JsonObject().put("url", "localhost")));
  }

  /** Constructing a backend embeds nothing; a fixed 384-dimension embedder stands in for the model's shape. */
  private static final class FixedEmbedder implements Embedder {
    @Override
    public float[] embed(String text) {
      return new float[384];
    }

    @Override
    public int dimensions() {
      return 384;
    }
  }
}
