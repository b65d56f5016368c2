package com.mangaassist.retrieval;

import com.mangaassist.catalog.CatalogTitle;
import java.util.List;

/** The text fields a catalog title is found by with BM25, by the same names in every backend's index. */
public enum SearchField {
  /** English title, romaji and aliases, one value each so a phrase never spans from one name into the next. */
  NAMES("names"),
  AUTHOR("author"),
  /** Genres and demographic. */
  GENRES("genres"),
  SYNOPSIS("synopsis");

  private final String fieldName;

  SearchField(String fieldName) {
    this.fieldName = fieldName;
  }

  public String fieldName() {
    return fieldName;
  }

  /** The text a title is indexed with in this field, one entry per value. */
  public List<String> values(CatalogTitle title) {
    return switch (this) {
      case NAMES -> title.names();
      case AUTHOR -> List.of(title.author());
      // "dark-fantasy" is tokenised to "dark" + "fantasi", so both "dark fantasy" and "fantasy" find it.
      case GENRES -> List.of(String.join(" ", title.genres()) + " " + title.demographic());
      case SYNOPSIS -> List.of(title.synopsis());
    };
  }
}
