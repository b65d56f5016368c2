package com.mangaassist.orchestrator;

import com.mangaassist.intent.ResolvedEntities;
import java.util.List;
import java.util.regex.Pattern;

/** Which titles a question says the shopper likes: what feeds the profile. */
final class LikedTitles {

  private static final Pattern LIKING = Pattern.compile(
      "\\b(like|likes|liked|love|loved|loving|enjoy|enjoyed|fan of|favou?rite|similar to|more like)\\b",
      Pattern.CASE_INSENSITIVE);

  private LikedTitles() {}

  /** "Recommend manga like One Piece" and "I loved Monster" name liked titles; "is Monster in stock?" does not. */
  static List<String> in(String intent, String text, ResolvedEntities entities) {
    if (entities.fromContext()) {
      return List.of();
    }
    if ("recommendation".equals(intent) || LIKING.matcher(text).find()) {
      return entities.titleIds();
    }
    return List.of();
  }
}
