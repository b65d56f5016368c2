package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencePiecesTest {

  @Test
  void piecesJoinToTheStoredTextExactly() {
    String answer = "Berserk is dark. Vagabond is calm!  Both are seinen?\n\nTry these:\n1. Berserk\n2. Vagabond";
    List<String> pieces = SentencePieces.of(answer);
    assertEquals(answer, String.join("", pieces), "line breaks, double spaces and the end as they were");
    assertEquals(List.of("Berserk is dark. ", "Vagabond is calm!  ", "Both are seinen?\n\n", "Try these:\n1. ",
        "Berserk\n2. ", "Vagabond"), pieces);
  }

  @Test
  void aPointInsideAWordOrNumberDoesNotEndASentence() {
    assertEquals(List.of("Vol. ", "1.5 costs ¥528, see mangaassist.example."),
        SentencePieces.of("Vol. 1.5 costs ¥528, see mangaassist.example."));
  }

  @Test
  void noTextNoPieces() {
    assertEquals(List.of(), SentencePieces.of(""));
    assertEquals(List.of("No sentence end"), SentencePieces.of("No sentence end"));
  }
}
