package com.mangaassist.intent;

/** Maps a shopper's question to an intent name; in-process, no network. */
public interface IntentClassifier {

  String classify(String text);
}
