package com.mangaassist.catalog;

import java.util.List;

/**
 * Catalog facts as the model reads them: a {@code <catalog>} block, one title per line as {@code key: value | …},
 * with live price and stock for the volume asked about (or the latest). The emulator parses this format too.
 * The block is data quoted into the user message, never part of the system prompt.
 */
public final class CatalogContext {

  private CatalogContext() {}

  /** Appends the block for {@code titles} (nothing when empty); {@code askedVolume} may be null. */
  public static StringBuilder appendBlock(StringBuilder out, List<CatalogTitle> titles, Integer askedVolume) {
    if (titles.isEmpty()) {
      return out;
    }
    out.append("<catalog>\n");
    for (CatalogTitle title : titles) {
      appendLine(out, title, askedVolume);
    }
    return out.append("</catalog>\n");
  }

  private static void appendLine(StringBuilder out, CatalogTitle title, Integer askedVolume) {
    int volume = askedVolume != null && askedVolume >= 1 && askedVolume <= title.volumes() ? askedVolume : title.latestVolume();
    int copies = title.stockOf(volume);
    out.append("title: ").append(title.title())
        .append(" | author: ").append(title.author())
        .append(" | volume: ").append(volume)
        .append(" | priceJpy: ").append(title.priceJpy())
        .append(" | inStock: ").append(copies > 0)
        .append(" | copies: ").append(copies)
        .append(" | latestVolume: ").append(title.latestVolume());
    if (title.latestReleaseDate() != null) {
      out.append(" | latestRelease: ").append(title.latestReleaseDate());
    }
    out.append(" | volumes: ").append(title.volumes())
        .append(" | status: ").append(title.status())
        .append(" | genres: ").append(String.join(", ", title.genres()))
        .append(" | synopsis: ").append(title.synopsis())
        .append('\n');
  }
}
