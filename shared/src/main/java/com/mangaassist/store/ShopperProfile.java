package com.mangaassist.store;

import java.util.List;

/**
 * What a shopper seems to like, inferred from the conversation: titles they said they liked or asked for more of,
 * and the genres of those titles, most frequent first.
 */
public record ShopperProfile(List<String> likedTitleIds, List<String> favouriteGenres) {

  public static final ShopperProfile EMPTY = new ShopperProfile(List.of(), List.of());

  public ShopperProfile {
    likedTitleIds = List.copyOf(likedTitleIds);
    favouriteGenres = List.copyOf(favouriteGenres);
  }

  public boolean isEmpty() {
    return likedTitleIds.isEmpty() && favouriteGenres.isEmpty();
  }
}
