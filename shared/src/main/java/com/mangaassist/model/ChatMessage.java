package com.mangaassist.model;

/** One turn of a conversation: {@code role} is {@code user} or {@code assistant}. */
public record ChatMessage(String role, String text) {

  public static ChatMessage user(String text) {
    return new ChatMessage("user", text);
  }

  public static ChatMessage assistant(String text) {
    return new ChatMessage("assistant", text);
  }
}
