package com.mangaassist.orchestrator;

import com.mangaassist.catalog.CatalogTitle;
import io.vertx.ext.web.RoutingContext;

/**
 * Placeholder covers ({@code /covers/{titleId}/{volume}.svg}): the shop has no image files here, and the page must
 * make no external requests, so each cover is drawn from the title's name in a colour of its own.
 */
final class CoverImages {

  private final CatalogKnowledge knowledge;

  CoverImages(CatalogKnowledge knowledge) {
    this.knowledge = knowledge;
  }

  void handle(RoutingContext ctx) {
    CatalogTitle title = knowledge.snapshot().catalog().title(ctx.pathParam("titleId"));
    String volume = ctx.pathParam("volume").replaceFirst("\\.svg$", "");
    if (title == null || !volume.matches("\\d{1,4}")) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    int hue = Math.floorMod(title.titleId().hashCode(), 360);
    String svg = "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='180' viewBox='0 0 120 180'>"
        + "<rect width='120' height='180' rx='6' fill='hsl(" + hue + ",55%,42%)'/>"
        + "<rect x='8' y='8' width='104' height='164' rx='4' fill='none' stroke='white' stroke-opacity='.5'/>"
        + "<foreignObject x='12' y='20' width='96' height='110'><div xmlns='http://www.w3.org/1999/xhtml' "
        + "style='font:bold 13px sans-serif;color:white;overflow:hidden'>" + escape(title.title()) + "</div></foreignObject>"
        + "<text x='60' y='160' text-anchor='middle' font-family='sans-serif' font-size='14' fill='white'>Vol. "
        + volume + "</text></svg>";
    ctx.response().putHeader("content-type", "image/svg+xml").putHeader("cache-control", "public, max-age=86400").end(svg);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
