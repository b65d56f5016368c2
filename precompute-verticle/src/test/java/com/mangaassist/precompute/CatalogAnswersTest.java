package com.mangaassist.precompute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalog's rankings behind "anything similar?" and a genre's prefetched list. */
class CatalogAnswersTest {

  private static final CatalogTitle SEED = title("seed", List.of("action", "fantasy", "drama"), "shonen", Map.of());

  private static final Catalog CATALOG = new Catalog(1, List.of(
      SEED,
      title("a-two-genres-seinen", List.of("fantasy", "action"), "seinen", Map.of(1, 3)),
      title("b-two-genres-shonen", List.of("drama", "action", "comedy"), "shonen", Map.of(1, 1)),
      title("d-one-genre-shonen", List.of("fantasy"), "shonen", Map.of(1, 1, 2, 1)),
      title("c-one-genre-seinen", List.of("drama"), "seinen", Map.of(1, 0, 2, 4, 3, 2)),
      title("e-no-genre-shared", List.of("romance", "comedy"), "shonen", Map.of(1, 9)),
      title("f-three-genres-josei", List.of("drama", "fantasy", "action"), "josei", Map.of())));

  @Test
  void similarTitlesShareTheMostGenresThenTheDemographicThenTheirId() {
    assertEquals(List.of("f-three-genres-josei", "b-two-genres-shonen", "a-two-genres-seinen", "d-one-genre-shonen",
        "c-one-genre-seinen"), ids(CatalogAnswers.similar(CATALOG, SEED, 10)));
    assertEquals(List.of("f-three-genres-josei", "b-two-genres-shonen"), ids(CatalogAnswers.similar(CATALOG, SEED, 2)));
  }

  @Test
  void aGenresTitlesFavourTheShoppersGenresThenVolumesInStockAndLeaveOutWhatTheyLike() {
    // fantasy titles; the shopper likes drama and action, and already likes f
    List<CatalogTitle> titles = CatalogAnswers.browse(CATALOG, "fantasy", List.of("drama", "action"),
        Set.of("f-three-genres-josei"), 10);
    assertEquals(List.of("seed", "a-two-genres-seinen", "d-one-genre-shonen"), ids(titles));
    // the same number of favourite genres: more volumes in stock first
    assertEquals(List.of("c-one-genre-seinen", "b-two-genres-shonen"),
        ids(CatalogAnswers.browse(CATALOG, "drama", List.of("horror", "drama"), Set.of("seed", "f-three-genres-josei"),
            10)));
  }

  @Test
  void catalogAnswersCountTheVolumesInStock() {
    CatalogTitle twoOfThreeInStock = CATALOG.title("c-one-genre-seinen");
    assertTrue(CatalogAnswers.answer("volume_count", twoOfThreeInStock, CATALOG, 0).contains("2 of them are in stock"));
  }

  private static List<String> ids(List<CatalogTitle> titles) {
    return titles.stream().map(CatalogTitle::titleId).toList();
  }

  private static CatalogTitle title(String id, List<String> genres, String demographic, Map<Integer, Integer> stock) {
    return new CatalogTitle(id, id, id, List.of(), "Author", genres, demographic, "ongoing", "Publisher", 2001, 3, 3,
        null, 500, stock, "synopsis");
  }
}
