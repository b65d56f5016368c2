package com.mangaassist.emulator;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/** Collects the decoded Anthropic events of one SDK stream; can cancel its subscription after N text deltas. */
final class SdkStreamCollector {

  final List<JsonObject> events = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> handlerError = new AtomicReference<>();
  final CountDownLatch deltasSeen;
  private final int cancelAfterDeltas;

  /** Cancels the subscription after {@code cancelAfterDeltas} text deltas (-1: never). */
  SdkStreamCollector(int cancelAfterDeltas) {
    this(cancelAfterDeltas, true);
  }

  /** {@link #deltasSeen} opens after {@code deltas} text deltas; with {@code cancel} the subscription is then cancelled. */
  SdkStreamCollector(int deltas, boolean cancel) {
    this.cancelAfterDeltas = cancel ? deltas : -1;
    this.deltasSeen = new CountDownLatch(Math.max(1, deltas));
  }

  InvokeModelWithResponseStreamResponseHandler handler() {
    return InvokeModelWithResponseStreamResponseHandler.builder()
        .onEventStream(this::subscribe)
        .onError(handlerError::set)
        .build();
  }

  String text() {
    StringBuilder text = new StringBuilder();
    for (JsonObject event : events) {
      if ("content_block_delta".equals(event.getString("type"))) {
        text.append(event.getJsonObject("delta").getString("text"));
      }
    }
    return text.toString();
  }

  JsonObject last() {
    return events.get(events.size() - 1);
  }

  private void subscribe(SdkPublisher<ResponseStream> publisher) {
    publisher.subscribe(new Subscriber<>() {
      private Subscription subscription;
      private int deltas;

      @Override
      public void onSubscribe(Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ResponseStream event) {
        if (event instanceof PayloadPart chunk) {
          JsonObject json = new JsonObject(chunk.bytes().asUtf8String());
          events.add(json);
          if ("content_block_delta".equals(json.getString("type"))) {
            deltas++;
            deltasSeen.countDown();
            if (deltas == cancelAfterDeltas) {
              subscription.cancel();
            }
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        handlerError.compareAndSet(null, t);
      }

      @Override
      public void onComplete() {}
    });
  }
}
