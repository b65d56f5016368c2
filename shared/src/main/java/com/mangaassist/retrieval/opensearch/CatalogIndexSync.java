package com.mangaassist.retrieval.opensearch;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.embed.Embedder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * Brings the OpenSearch catalog index in line with one catalog snapshot: creates the index if missing, reads which
 * titles it holds and from what text (their fingerprints), embeds and writes only the new and changed titles, and
 * deletes the titles the catalog no longer has. A restart or a second orchestrator node therefore costs a few reads,
 * not 338 embeddings, and a price change rewrites one document. Searches keep answering throughout: each document is
 * replaced in place, so a search sees every title either as it was or as it is now.
 *
 * <p>Needs neither aliases nor delete-by-query, which Amazon OpenSearch Serverless lacks.
 */
final class CatalogIndexSync {

  /** What one sync did. */
  record Outcome(int written, int deleted, int unchanged) {}

  private static final int PAGE = 1000;

  private final Vertx vertx;
  private final OpenSearchAsyncClient client;
  private final OpenSearchSettings settings;
  private final Embedder embedder;

  CatalogIndexSync(Vertx vertx, OpenSearchAsyncClient client, OpenSearchSettings settings, Embedder embedder) {
    this.vertx = vertx;
    this.client = client;
    this.settings = settings;
    this.embedder = embedder;
  }

  Future<Outcome> sync(Catalog catalog) {
    Context context = vertx.getOrCreateContext();
    return ensureIndex(context)
        .compose(v -> storedFingerprints(context, new HashMap<>(), null))
        .compose(stored -> {
          List<CatalogTitle> changed = catalog.titles().stream()
              .filter(title -> !CatalogIndexLayout.fingerprint(title).equals(stored.get(title.titleId())))
              .toList();
          Set<String> current = catalog.titles().stream().map(CatalogTitle::titleId).collect(Collectors.toSet());
          List<String> gone = stored.keySet().stream().filter(id -> !current.contains(id)).sorted().toList();
          int unchanged = catalog.size() - changed.size();
          // embedding is CPU work of a few ms per title: on a worker, never on the event loop
          return vertx.executeBlocking(() -> embedder.embedAll(changed.stream().map(CatalogTitle::searchText).toList()),
                  false)
              .compose(vectors -> write(context, changed, vectors, catalog.version(), 0))
              .compose(v -> delete(context, gone))
              .map(v -> new Outcome(changed.size(), gone.size(), unchanged));
        });
  }

  private Future<Void> ensureIndex(Context context) {
    return OpenSearchCalls.call(context, () -> client.indices().exists(exists -> exists.index(settings.index())))
        .compose(exists -> exists.value() ? Future.succeededFuture() : OpenSearchCalls.call(context,
            () -> client.indices().create(CatalogIndexLayout.createRequest(settings, embedder.dimensions())))
            .<Void>mapEmpty()
            // another orchestrator node created it a moment ago: as good
            .recover(e -> "resource_already_exists_exception".equals(OpenSearchCalls.errorType(e))
                ? Future.succeededFuture() : Future.failedFuture(e)));
  }

  /** titleId → fingerprint of every document, page by page in id order. */
  private Future<Map<String, String>> storedFingerprints(Context context, Map<String, String> found,
      List<FieldValue> after) {
    return OpenSearchCalls.<SearchResponse<JsonData>>call(context, () -> client.search(search -> {
      search.index(settings.index())
          .size(PAGE)
          .source(source -> source.filter(filter -> filter.includes(CatalogIndexLayout.FINGERPRINT)))
          .sort(sort -> sort.field(field -> field.field(CatalogIndexLayout.TITLE_ID).order(SortOrder.Asc)));
      if (after != null) {
        search.searchAfter(after);
      }
      return search;
    }, JsonData.class)).compose(response -> {
      List<Hit<JsonData>> hits = response.hits().hits();
      for (Hit<JsonData> hit : hits) {
        String fingerprint = hit.source() == null ? ""
            : hit.source().toJson().asJsonObject().getString(CatalogIndexLayout.FINGERPRINT, "");
        found.put(hit.id(), fingerprint);
      }
      return hits.size() < PAGE ? Future.succeededFuture(found)
          : storedFingerprints(context, found, hits.get(hits.size() - 1).sort());
    });
  }

  /** Bulk-indexes {@code titles} from {@code from} on, one batch after the other. */
  private Future<Void> write(Context context, List<CatalogTitle> titles, List<float[]> vectors, int version, int from) {
    if (from >= titles.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(titles.size(), from + settings.bulkBatchSize());
    List<BulkOperation> operations = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      CatalogTitle title = titles.get(i);
      Map<String, Object> document = CatalogIndexLayout.document(title, vectors.get(i), version);
      operations.add(BulkOperation.of(op -> op.index(index -> index.id(title.titleId()).document(document))));
    }
    return bulk(context, operations).compose(v -> write(context, titles, vectors, version, to));
  }

  private Future<Void> delete(Context context, List<String> titleIds) {
    if (titleIds.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> operations = titleIds.stream()
        .map(id -> BulkOperation.of(op -> op.delete(delete -> delete.id(id))))
        .toList();
    return bulk(context, operations);
  }

  private Future<Void> bulk(Context context, List<BulkOperation> operations) {
    return OpenSearchCalls.<BulkResponse>call(context, () -> client.bulk(bulk -> {
          bulk.index(settings.index()).operations(operations);
          if (settings.refreshOnWrite() && !settings.serverless()) {
            // the caller's future completes once the change is searchable, so "re-indexed" means "findable"
            bulk.refresh(Refresh.WaitFor);
          }
          return bulk;
        }))
        .compose(response -> {
          if (!response.errors()) {
            return Future.succeededFuture();
          }
          for (BulkResponseItem item : response.items()) {
            // deleting a title that is already gone (another node was first) is what we wanted
            if (item.error() != null && item.status() != 404) {
              return Future.failedFuture(new IllegalStateException("bulk " + item.operationType() + " of " + item.id()
                  + " failed: " + item.error().type() + ": " + item.error().reason()));
            }
          }
          return Future.succeededFuture();
        });
  }
}
