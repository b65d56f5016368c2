package com.mangaassist.retrieval;

import com.mangaassist.catalog.CatalogTitle;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;

/** How one catalog title is laid out in the Lucene index: an id, four BM25 text fields and the title's embedding. */
final class CatalogDocument {

  static final String ID = "titleId";
  static final String NAMES = "names";
  static final String AUTHOR = "author";
  static final String GENRES = "genres";
  static final String SYNOPSIS = "synopsis";
  static final String VECTOR = "vector";

  private CatalogDocument() {}

  /** {@code vector} must be unit length: DOT_PRODUCT is then the cosine, and cheaper to compute than COSINE. */
  static Document of(CatalogTitle title, float[] vector) {
    Document doc = new Document();
    doc.add(new StringField(ID, title.titleId(), Field.Store.YES));
    // Separate values so a phrase never spans from one name into the next.
    for (String name : title.names()) {
      doc.add(new TextField(NAMES, name, Field.Store.NO));
    }
    doc.add(new TextField(AUTHOR, title.author(), Field.Store.NO));
    // "dark-fantasy" is tokenised to "dark" + "fantasi", so both "dark fantasy" and "fantasy" find it.
    doc.add(new TextField(GENRES, String.join(" ", title.genres()) + " " + title.demographic(), Field.Store.NO));
    doc.add(new TextField(SYNOPSIS, title.synopsis(), Field.Store.NO));
    doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    return doc;
  }
}
