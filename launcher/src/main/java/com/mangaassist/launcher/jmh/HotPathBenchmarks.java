package com.mangaassist.launcher.jmh;

import com.mangaassist.catalog.Catalog;
import com.mangaassist.catalog.CatalogTitle;
import com.mangaassist.config.ConfigFiles;
import com.mangaassist.embed.MiniLmEmbedder;
import com.mangaassist.emulator.EventStreamFrames;
import com.mangaassist.intent.EntityResolver;
import com.mangaassist.intent.LabeledExample;
import com.mangaassist.intent.LogisticIntentClassifier;
import com.mangaassist.model.ChatMessage;
import com.mangaassist.model.ModelRequest;
import com.mangaassist.orchestrator.PromptBuilder;
import com.mangaassist.protocol.ServerFrames;
import com.mangaassist.store.PrecomputeMatcher;
import com.mangaassist.store.ShopperProfile;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * The CPU each turn spends in-process before and while it streams, one step at a time, with the production code and
 * data (the shipped catalog, the trained classifier, the real templates). {@code bin/mangaassist bench jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmarks {

  private static final String QUESTION = "Is volume 3 of Jujutsu Kaisen in stock?";
  /** A Claude content_block_delta as Bedrock frames it: the event-stream frame of one streamed delta. */
  private static final String DELTA_EVENT =
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" volume 3 is\"}}";

  private EntityResolver resolver;
  private LogisticIntentClassifier classifier;
  private LogisticIntentClassifier wordsClassifier;
  private MiniLmEmbedder embedder;
  private Catalog catalog;
  private float[] maskedEmbedding;
  private String maskedQuestion;
  private List<CatalogTitle> context;
  private List<ChatMessage> history;
  private String systemPrompt;
  private byte[] deltaFrame;

  @Setup
  public void setUp() throws Exception {
    catalog = Catalog.read(ConfigFiles.confDir().resolve("catalog/catalog.json"));
    resolver = new EntityResolver(catalog);
    embedder = new MiniLmEmbedder();
    List<LabeledExample> examples = LabeledExample.read(ConfigFiles.confDir().resolve("intents/examples.jsonl"));
    java.util.function.UnaryOperator<String> prepare = text -> PrecomputeMatcher.matchText(resolver.maskTitles(text));
    classifier = LogisticIntentClassifier.train(examples, embedder, prepare);
    wordsClassifier = LogisticIntentClassifier.trainOnWords(examples, prepare);
    maskedQuestion = PrecomputeMatcher.matchText(resolver.maskTitles(QUESTION));
    maskedEmbedding = embedder.embed(maskedQuestion);
    context = List.of(title("jujutsu-kaisen"), title("chainsaw-man"), title("one-piece"));
    history = List.of(ChatMessage.user("Tell me about Jujutsu Kaisen"),
        ChatMessage.assistant("Jujutsu Kaisen by Gege Akutami follows Yuji Itadori..."));
    systemPrompt = java.nio.file.Files.readString(ConfigFiles.confDir().resolve("prompts/v1/default.txt"));
    deltaFrame = EventStreamFrames.chunk(DELTA_EVENT, "abcdefghij").getBytes();
  }

  private CatalogTitle title(String titleId) {
    CatalogTitle title = catalog.title(titleId);
    if (title == null) {
      throw new IllegalStateException("the catalog has no " + titleId + " any more: update the benchmark");
    }
    return title;
  }

  /** Entities, title masking and intent: everything of step 2 except the embedding. */
  @Benchmark
  public void resolveAndClassify(Blackhole sink) {
    EntityResolver.Understood understood = resolver.understand(QUESTION, null);
    sink.consume(understood.entities());
    sink.consume(classifier.classify(PrecomputeMatcher.matchText(understood.masked()), maskedEmbedding));
  }

  /** What an early start decides on before any embedding: entities, title masking and the intent by words alone. */
  @Benchmark
  public void resolveAndClassifyByWords(Blackhole sink) {
    EntityResolver.Understood understood = resolver.understand(QUESTION, null);
    sink.consume(understood.entities());
    sink.consume(wordsClassifier.classify(PrecomputeMatcher.matchText(understood.masked()), null));
  }

  /** The one embedding of a turn that is not remembered (MiniLM on ONNX, one thread of this benchmark). */
  @Benchmark
  public float[] embedMaskedQuestion() {
    return embedder.embed(maskedQuestion);
  }

  @Benchmark
  public ModelRequest promptAssembly() {
    return PromptBuilder.build("anthropic.claude-3-haiku-20240307-v1:0", 400, systemPrompt, history, context, 3,
        new ShopperProfile(List.of("chainsaw-man"), List.of("action")), catalog, QUESTION);
  }

  /** A streamed piece of text as the client gets it. */
  @Benchmark
  public String chunkFrameEncoding() {
    return ServerFrames.chunk("q1", 42, " volume 3 is in stock");
  }

  /** One Bedrock event-stream frame to the delta text: the SDK's decoder, then the base64 JSON payload. */
  @Benchmark
  public String eventStreamDecoding() {
    MessageDecoder decoder = new MessageDecoder();
    decoder.feed(deltaFrame);
    Message message = decoder.getDecodedMessages().get(0);
    JsonObject payload = new JsonObject(new String(message.getPayload(), StandardCharsets.UTF_8));
    JsonObject event = new JsonObject(new String(Base64.getDecoder().decode(payload.getString("bytes")), StandardCharsets.UTF_8));
    return event.getJsonObject("delta").getString("text");
  }
}
