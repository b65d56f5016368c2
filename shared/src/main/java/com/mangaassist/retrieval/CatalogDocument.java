package com.mangaassist.retrieval;

import com.mangaassist.catalog.CatalogTitle;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How one catalog title is laid out in the Lucene index: an id, the BM25 text fields of {@link SearchField} and the
 * title's embedding.
 */
final class CatalogDocument {

  static final String ID = "titleId";
  static final String VECTOR = "vector";

  private CatalogDocument() {}

  /** {@code vector} must be unit length: DOT_PRODUCT is then the cosine, and cheaper to compute than COSINE. */
  static Document of(CatalogTitle title, float[] vector) {
    Document doc = new Document();
    doc.add(new StringField(ID, title.titleId(), Field.Store.YES));
    for (SearchField field : SearchField.values()) {
      for (String value : field.values(title)) {
        // Separate values of one field, so a phrase never spans from one name into the next.
        doc.add(new TextField(field.fieldName(), value, Field.Store.NO));
      }
    }
    doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }
}
