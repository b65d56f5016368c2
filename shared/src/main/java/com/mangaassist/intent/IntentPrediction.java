package com.mangaassist.intent;

/** The intent of a question with the classifier's confidence (share of the neighbours' similarity mass, 0..1). */
public record IntentPrediction(String intent, double confidence) {}
