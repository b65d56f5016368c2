package com.mangaassist.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderType;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

class EventStreamFramesTest {

  private static final String HI_DELTA =
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}";

  @Test
  void encodesTheReferenceHiDeltaFrameByteForByte() {
    byte[] frame = EventStreamFrames.chunk(HI_DELTA, null).getBytes();

    assertEquals(215, frame.length);
    assertArrayEquals(bytes(0x00, 0x00, 0x00, 0xd7, 0x00, 0x00, 0x00, 0x4b, 0xbf, 0xf9, 0xe4, 0x38),
        java.util.Arrays.copyOfRange(frame, 0, 12));
    assertArrayEquals(bytes(0x4b, 0x8e, 0x94, 0x95), java.util.Arrays.copyOfRange(frame, 211, 215));
    // first header: name length 11, ":event-type", type 7 (string), length 5, "chunk"
    assertEquals(0x0b, frame[12]);
    assertEquals(":event-type", new String(frame, 13, 11));
    assertEquals(7, frame[24]);
  }

  @Test
  void sdkDecoderAcceptsFramesAndSeesStringHeaders() {
    Buffer stream = Buffer.buffer()
        .appendBuffer(EventStreamFrames.chunk(HI_DELTA, "abc"))
        .appendBuffer(EventStreamFrames.exception("throttlingException", "slow down"));
    MessageDecoder decoder = new MessageDecoder();
    // feed in odd slices: HTTP chunk borders need not match frame borders
    byte[] bytes = stream.getBytes();
    for (int i = 0; i < bytes.length; i += 7) {
      decoder.feed(bytes, i, Math.min(7, bytes.length - i));
    }
    List<Message> messages = decoder.getDecodedMessages();

    assertEquals(2, messages.size());
    Message chunk = messages.get(0);
    assertEquals(List.of(":event-type", ":content-type", ":message-type"), List.copyOf(chunk.getHeaders().keySet()));
    chunk.getHeaders().values().forEach(h -> assertEquals(HeaderType.STRING, h.getType()));
    assertEquals("event", chunk.getHeaders().get(":message-type").getString());
    Message error = messages.get(1);
    assertEquals("exception", error.getHeaders().get(":message-type").getString());
    assertEquals("throttlingException", error.getHeaders().get(":exception-type").getString());
    assertEquals("{\"message\":\"slow down\"}", new String(error.getPayload()));
    assertEquals(Message.decode(ByteBuffer.wrap(EventStreamFrames.chunk(HI_DELTA, "abc").getBytes())), chunk);
  }

  private static byte[] bytes(int... values) {
    byte[] result = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (byte) values[i];
    }
    return result;
  }
}
