package com.mangaassist.orchestrator;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogContext;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.store.ShopperProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Assembles the model request of a turn. The system prompt is the pre-loaded template of the intent and never
 * contains anything the shopper typed; catalog facts and the profile travel in the user message as quoted data
 * blocks ({@code <catalog>}, {@code <shopper>}), followed by the question itself.
 */
public final class PromptBuilder {

  private PromptBuilder() {}

  public static ModelRequest build(String modelId, int maxTokens, String systemPrompt, List<ChatMessage> history,
      List<CatalogTitle> context, Integer volume, ShopperProfile profile, Catalog catalog, String question) {
    List<ChatMessage> messages = new ArrayList<>(history);
    messages.add(ChatMessage.user(userMessage(context, volume, profile, catalog, question)));
    return ModelRequest.of(modelId, systemPrompt, messages, maxTokens);
  }

  static String userMessage(List<CatalogTitle> context, Integer volume, ShopperProfile profile, Catalog catalog,
      String question) {
    StringBuilder message = CatalogContext.appendBlock(new StringBuilder(256 + 200 * context.size()), context, volume);
    if (profile != null && !profile.isEmpty()) {
      List<String> liked = profile.likedTitleIds().stream().map(catalog::title).filter(Objects::nonNull)
          .map(CatalogTitle::title).limit(5).toList();
      message.append("<shopper>likes: ").append(String.join(", ", liked))
          .append("; favourite genres: ").append(String.join(", ", profile.favouriteGenres())).append("</shopper>\n");
    }
    return message.append(question).toString();
  }
}
