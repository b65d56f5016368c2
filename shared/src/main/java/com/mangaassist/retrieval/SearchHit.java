package com.mangaassist.retrieval;

/** One retrieved title with its fused relevance score (higher is better). */
public record SearchHit(String titleId, double score) {}
