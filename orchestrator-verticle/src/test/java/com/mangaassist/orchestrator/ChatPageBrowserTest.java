package com.mangaassist.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page at {@code /} in a real headless Chromium, against the real orchestrator, emulator and Redis:
 * what a shopper sees while an answer streams, after a network drop, and over SockJS.
 *
 * <p>Uses Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code .ci/run} installs them);
 * Selenium Manager is never asked to find or download anything. Skipped only when Chromium is absent.
 */
class ChatPageBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Records what the last answer bubble shows after every DOM change, in order: skeleton card, typing indicator,
   * status text, answer text length, number of product cards, finished. A new entry only when something changed.
   */
  private static final String RECORD_ANSWER_STATES = """
      window.__states = [];
      const log = document.getElementById('log');
      let last = '';
      const record = () => {
        const bots = log.querySelectorAll('.msg.bot');
        const bot = bots[bots.length - 1];
        if (!bot) return;
        const s = {
          skeleton: !!bot.querySelector('.card.skeleton'),
          typing: !bot.querySelector('.status').hidden,
          status: bot.querySelector('.status').hidden ? '' : bot.querySelector('.status-text').textContent,
          textLength: bot.querySelector('.answer-text').textContent.length,
          cards: bot.querySelectorAll('.card:not(.skeleton)').length,
          finished: bot.getAttribute('aria-busy') === 'false'
        };
        const key = JSON.stringify(s);
        if (key !== last) { last = key; window.__states.push(s); }
      };
      new MutationObserver(record).observe(log,
          { subtree: true, childList: true, characterData: true, attributes: true });
      """;

  /** Records every frame the page sends over any WebSocket (raw or SockJS), as sent. */
  private static final String RECORD_SENT_FRAMES = """
      window.__sent = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (data) { window.__sent.push(String(data)); return send.call(this, data); };
      """;

  private static ChatHarness harness;
  private static ChromeDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " on this machine");
    // Debian's driver and browser, named explicitly: Selenium Manager has nothing to resolve or download
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    System.setProperty("SE_AVOID_STATS", "true");
    // with the precompute role, as in dev: suggestion chips are real predicted follow-ups
    harness = ChatHarness.start(new JsonObject().put("precompute", new JsonObject().put("priorWeight", 1e9)), true);
    profile = Files.createTempDirectory("mangaassist-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--window-size=1280,900", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (harness != null) {
      harness.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  @BeforeEach
  void desktopSize() {
    driver.manage().window().setSize(new Dimension(1280, 900));
  }

  @Test
  void answerShowsStatusThenStreamsTextWithCardsAndTimingsOnRequest() {
    open("/");
    script(RECORD_ANSWER_STATES);
    script("localStorage.removeItem('mangaassist.showLatency')");
    askAndWait(ChatHarness.fresh("Recommend manga like One Piece"));

    List<Map<String, Object>> states = states();
    // phase 1: typing indicator and a skeleton card at once, before any server frame could be shown
    Map<String, Object> first = states.get(0);
    assertEquals(true, first.get("skeleton"), "skeleton card at once: " + first);
    assertEquals(true, first.get("typing"), "typing indicator at once: " + first);
    assertEquals(0L, first.get("textLength"));

    int statusShown = indexOf(states, s -> !((String) s.get("status")).isBlank());
    int firstText = indexOf(states, s -> (Long) s.get("textLength") > 0);
    assertTrue(statusShown >= 0, "a status message was shown: " + states);
    assertTrue(firstText >= 0, "answer text was shown: " + states);
    assertTrue(statusShown < firstText, "status before the first answer text: " + states);
    assertEquals(0L, states.get(statusShown).get("textLength"));

    long distinctLengths = states.stream().map(s -> s.get("textLength")).filter(l -> (Long) l > 0).distinct().count();
    assertTrue(distinctLengths >= 3, "the text grew over several updates, lengths seen: " + distinctLengths);
    int firstCard = indexOf(states, s -> (Long) s.get("cards") > 0);
    assertTrue(firstCard >= 0 && !(Boolean) states.get(firstCard).get("finished"),
        "a product card appeared while the answer was still coming: " + states);

    WebElement answer = lastAnswer();
    WebElement card = answer.findElement(By.cssSelector(".card:not(.skeleton)"));
    assertFalse(card.findElement(By.cssSelector(".card-title")).getText().isBlank(), "card has a title");
    assertTrue(card.findElement(By.cssSelector(".price")).getText().matches("¥[0-9,]+"),
        "card has a yen price: " + card.findElement(By.cssSelector(".price")).getText());
    assertTrue(card.findElement(By.cssSelector(".badge")).getText().matches("In stock|Sold out"));
    String buy = card.findElement(By.cssSelector("a.buy")).getAttribute("href");
    assertTrue(buy.matches(".*/shop/[^/]+/[0-9]+$"), "Buy links to the shop: " + buy);
    assertFalse(answer.findElements(By.cssSelector(".card.skeleton")).size() > 0, "skeleton gone when done");
    assertTrue(answer.findElements(By.cssSelector(".intent")).get(0).isDisplayed(), "intent tag shown");
    assertEquals("recommendation", answer.findElement(By.cssSelector(".intent")).getText().toLowerCase());

    // latency readout: hidden until toggled on, then source and timings; the choice survives a reload
    WebElement readout = answer.findElement(By.cssSelector(".latency"));
    assertFalse(readout.isDisplayed(), "timings hidden by default");
    driver.findElement(By.id("show-latency")).click();
    assertTrue(readout.isDisplayed(), "timings shown when toggled on");
    assertEquals("model", readout.findElement(By.cssSelector("[data-field=source]")).getText());
    assertTrue(readout.getText().matches("(?s).*first token \\d+ ms.*total \\d+ ms.*"), readout.getText());
    script("document.getElementById('log').scrollTop = 1e9");
    screenshot("answer-desktop");

    open("/");
    assertTrue(driver.findElement(By.id("show-latency")).isSelected(), "the timings toggle is remembered");
    driver.findElement(By.id("show-latency")).click();
  }

  @Test
  void droppedConnectionReconnectsResumesAndKeepsTheConversation() {
    open("/");
    askAndWait(ChatHarness.fresh("Recommend a horror manga"));
    String firstAnswer = lastAnswer().findElement(By.cssSelector(".answer-text")).getText();
    assertFalse(firstAnswer.isBlank());
    String sessionId = (String) state().get("sessionId");
    assertNotNull(sessionId);

    script(RECORD_SENT_FRAMES);
    script("window.mangaassist.dropConnection()");
    waitUntil(() -> Boolean.TRUE.equals(state().get("resumed")) && Boolean.TRUE.equals(state().get("ready")),
        "the page reconnected and resumed");
    @SuppressWarnings("unchecked")
    List<String> sent = (List<String>) script("return window.__sent");
    assertTrue(sent.stream().anyMatch(f -> f.contains("\"action\":\"resume\"") && f.contains(sessionId)),
        "resume with the earlier session was sent: " + sent);
    assertEquals(sessionId, state().get("sessionId"), "same conversation after the reconnect");
    assertEquals("Online", driver.findElement(By.id("conn")).getText());
    assertFalse(driver.findElement(By.id("banner")).isDisplayed(), "no banner after a successful reconnect");

    askAndWait(ChatHarness.fresh("Is volume 1 of it in stock?"));
    assertEquals(2, driver.findElements(By.cssSelector(".msg.user")).size(), "both questions on screen");
    List<WebElement> answers = driver.findElements(By.cssSelector(".msg.bot"));
    assertEquals(2, answers.size());
    assertEquals(firstAnswer, answers.get(0).findElement(By.cssSelector(".answer-text")).getText(),
        "the first answer is still there, unchanged");
    assertFalse(answers.get(1).findElement(By.cssSelector(".answer-text")).getText().isBlank());

    driver.manage().window().setSize(new Dimension(390, 844));
    screenshot("after-reconnect-phone");
  }

  @Test
  void afterThreeFailedTriesABannerOffersRetryAndTheConversationStays() {
    open("/");
    askAndWait(ChatHarness.fresh("Tell me about Frieren"));
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    driver.setNetworkConditions(offline);
    WebElement banner = driver.findElement(By.id("banner"));
    WebElement retry = banner.findElement(By.tagName("button"));
    try {
      script("window.mangaassist.dropConnection()");
      waitUntil(banner::isDisplayed, "the banner after three failed tries");
      assertTrue(banner.getText().contains("3 tries"), banner.getText());
      assertEquals("Offline", driver.findElement(By.id("conn")).getText());
      assertEquals(1, driver.findElements(By.cssSelector(".msg.bot .answer-text")).size(), "conversation kept");
      screenshot("offline-banner");

      // Retry while still offline: three more tries, then the banner offers Retry again
      retry.click();
      assertFalse(retry.isEnabled(), "Retry is busy while it tries");
      waitUntil(() -> retry.isEnabled() && banner.getText().contains("3 tries"), "the banner again after 3 more tries");
    } finally {
      driver.deleteNetworkConditions();
    }
    // back online: the browser's online event, or a click on Retry, reconnects
    waitUntil(() -> {
      if (banner.isDisplayed() && retry.isEnabled()) {
        retry.click();
      }
      return !banner.isDisplayed() && Boolean.TRUE.equals(state().get("ready"));
    }, "reconnected once back online");
    assertEquals("Online", driver.findElement(By.id("conn")).getText());
    askAndWait(ChatHarness.fresh("Recommend a sports manga"));
    assertEquals(2, driver.findElements(By.cssSelector(".msg.bot")).size());
  }

  @Test
  void sockJsTransportsAnswerWhenTheRawWebSocketIsNotUsed() {
    for (String transport : List.of("sockjs", "xhr")) {
      open("/?transport=" + transport);
      askAndWait(ChatHarness.fresh("Tell me about Vagabond"));
      assertEquals(transport.equals("sockjs") ? "sockjs-websocket" : "sockjs-xhr", state().get("transport"));
      assertFalse(lastAnswer().findElement(By.cssSelector(".answer-text")).getText().isBlank(),
          "answered over " + transport);
      assertEquals("done", answerOutcome(lastAnswer()));
    }
  }

  @Test
  void aRetryableErrorShowsInTheBubbleAndRetryAnswersThere() {
    open("/");
    harness.emulator.armFault("http-503", 0, -1);
    WebElement answer;
    try {
      WebElement input = driver.findElement(By.id("q"));
      input.sendKeys(ChatHarness.fresh("Tell me about Berserk"), Keys.ENTER);
      waitForAnswer();
      answer = lastAnswer();
      WebElement error = answer.findElement(By.cssSelector(".error"));
      assertTrue(error.isDisplayed(), "the error is shown in the answer bubble");
      assertFalse(error.getText().isBlank());
      screenshot("error-retry");
    } finally {
      harness.emulator.clearFaults();
    }
    answer.findElement(By.cssSelector(".error button.retry")).click();
    waitForAnswer();
    assertEquals("done", answerOutcome(answer), "the retried answer arrived in the same bubble");
    assertFalse(answer.findElement(By.cssSelector(".answer-text")).getText().isBlank());
    assertEquals(1, driver.findElements(By.cssSelector(".msg.user")).size(), "Retry did not repeat the question");
  }

  @Test
  void cancelStopsAStreamingAnswer() {
    open("/");
    // the model stalls after a few tokens: the answer is visibly streaming when the shopper cancels
    harness.emulator.armFault("stall", 4, -1);
    try {
      assertFalse(driver.findElement(By.id("cancel")).isDisplayed(), "no Cancel while nothing streams");
      driver.findElement(By.id("q")).sendKeys(ChatHarness.fresh("Recommend a long fantasy manga"), Keys.ENTER);
      waitUntil(() -> !lastAnswer().findElement(By.cssSelector(".answer-text")).getText().isEmpty(),
          "the answer started");
      driver.findElement(By.id("cancel")).click();
      waitForAnswer();
    } finally {
      harness.emulator.clearFaults();
    }
    assertEquals("Stopped.", lastAnswer().findElement(By.cssSelector(".note")).getText());
    assertEquals("done", answerOutcome(lastAnswer()));
    assertFalse(driver.findElement(By.id("cancel")).isDisplayed(), "Cancel gone once the answer stopped");
    assertEquals(driver.findElement(By.id("q")), driver.switchTo().activeElement(), "focus back in the question box");
  }

  /**
   * The precompute role predicts follow-ups; their chips appear under the answer, and a click asks the chip's
   * question, answered from the session's precomputed answers.
   */
  @Test
  void aSuggestionChipIsAnsweredFromPrecompute() {
    open("/");
    askAndWait("Tell me about Vagabond");
    WebElement answer = lastAnswer();
    waitUntil(() -> !answer.findElements(By.cssSelector(".suggestions .chip")).isEmpty(), "suggestion chips appeared");
    WebElement chip = answer.findElements(By.cssSelector(".suggestions .chip")).stream()
        .filter(c -> c.getText().startsWith("Where can I buy")).findFirst()
        .orElse(answer.findElements(By.cssSelector(".suggestions .chip")).get(0));
    String suggestion = chip.getText();
    assertTrue(suggestion.contains("Vagabond"), suggestion);
    script("arguments[0].scrollIntoView({block: 'center'})", chip);
    screenshot("suggestions");

    chip.click();
    List<WebElement> questions = driver.findElements(By.cssSelector(".msg.user"));
    assertEquals(suggestion, questions.get(questions.size() - 1).getText());
    waitForAnswer();
    WebElement served = lastAnswer();
    assertFalse(served.findElement(By.cssSelector(".answer-text")).getText().isBlank());
    boolean shown = driver.findElement(By.id("show-latency")).isSelected();
    if (!shown) {
      driver.findElement(By.id("show-latency")).click();
    }
    assertEquals("precomputed", served.findElement(By.cssSelector(".latency [data-field=source]")).getText());
    if (!shown) {
      driver.findElement(By.id("show-latency")).click();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void open(String path) {
    driver.get("http://127.0.0.1:" + harness.port + path);
    waitUntil(() -> Boolean.TRUE.equals(state().get("ready")), "the page connected");
  }

  /** Types the question and presses Enter, as a shopper does, then waits for the answer to finish. */
  private static void askAndWait(String question) {
    WebElement input = driver.findElement(By.id("q"));
    assertEquals(input, driver.switchTo().activeElement(), "the question box has the focus");
    input.sendKeys(question, Keys.ENTER);
    waitForAnswer();
    assertEquals("done", answerOutcome(lastAnswer()), "answer finished without an error");
  }

  private static void waitForAnswer() {
    waitUntil(() -> "false".equals(lastAnswer().getAttribute("aria-busy")), "the answer finished");
  }

  private static String answerOutcome(WebElement answer) {
    List<WebElement> errors = answer.findElements(By.cssSelector(".error"));
    return errors.isEmpty() || !errors.get(0).isDisplayed() ? "done" : "error: " + errors.get(0).getText();
  }

  private static WebElement lastAnswer() {
    List<WebElement> answers = driver.findElements(By.cssSelector(".msg.bot"));
    assertFalse(answers.isEmpty(), "no answer bubble");
    return answers.get(answers.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> state() {
    return (Map<String, Object>) script("return window.mangaassist ? window.mangaassist.state() : {}");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> states() {
    return (List<Map<String, Object>>) script("return window.__states");
  }

  private static Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
    new WebDriverWait(driver, ANSWER_TIMEOUT)
        .withMessage(what)
        .until(d -> condition.getAsBoolean());
  }

  private static int indexOf(List<Map<String, Object>> states, java.util.function.Predicate<Map<String, Object>> p) {
    for (int i = 0; i < states.size(); i++) {
      if (p.test(states.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static void screenshot(String name) {
    try {
      Files.write(SCREENSHOTS.resolve(name + ".png"), Objects.requireNonNull(driver.getScreenshotAs(OutputType.BYTES)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
