package com.mangaassist.emulator;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Random;

/** The frames of one streaming API: InvokeModelWithResponseStream chunks or ConverseStream events. */
interface StreamDialect {

  /** Frames sent as soon as the stream opens. */
  List<Buffer> opening();

  /** The frame carrying one text delta. */
  Buffer delta(String text);

  /** Frames that end a successful generation. */
  List<Buffer> closing();

  /** Bedrock's random {@code p} field; its value does not matter, its varying length hides the token length. */
  static String padding(Random random) {
    String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    return letters.substring(0, 1 + random.nextInt(letters.length() - 1));
  }
}
