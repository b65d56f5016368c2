package com.mangaassist.intent;

import java.util.List;

/**
 * What a question is about: catalog titles (in order of mention) and volume numbers.
 *
 * @param fromContext true when the titles came from the conversation ("is it in stock?"), not from the text
 */
public record ResolvedEntities(List<String> titleIds, List<Integer> volumes, boolean fromContext) {

  public static final ResolvedEntities NONE = new ResolvedEntities(List.of(), List.of(), false);

  public ResolvedEntities {
    titleIds = List.copyOf(titleIds);
    volumes = List.copyOf(volumes);
  }

  public String firstTitle() {
    return titleIds.isEmpty() ? null : titleIds.get(0);
  }

  public Integer firstVolume() {
    return volumes.isEmpty() ? null : volumes.get(0);
  }
}
