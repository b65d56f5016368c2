// MangaAssist chat page: protocol v1 (README.md) over WebSocket /ws, or SockJS /sockjs when that cannot connect.
// Plain script, no build step, no external requests.
(() => {
  'use strict';

  /** Where a product card's Buy button leads; {titleId} and {volume} are filled in. */
  const SHOP_URL_PATTERN = '/shop/{titleId}/{volume}';
  const PING_INTERVAL_MS = 25000;
  const PONG_TIMEOUT_MS = 10000;
  const CONNECT_TIMEOUT_MS = 6000;
  const MAX_FAILED_TRIES = 3;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 8000;
  const TOKEN_KEY = 'mangaassist.devToken';
  const SESSION_KEY = 'mangaassist.sessionId';
  const LATENCY_KEY = 'mangaassist.showLatency';

  // ?transport=websocket|sockjs|xhr pins the transport (sockjs = SockJS over WebSocket, then XHR polling)
  const TRANSPORT_CHAINS = {
    websocket: ['websocket'],
    sockjs: ['sockjs-websocket', 'sockjs-xhr'],
    xhr: ['sockjs-xhr'],
  };
  const forcedTransport = new URLSearchParams(location.search).get('transport');
  let transportChain = TRANSPORT_CHAINS[forcedTransport] || ['websocket', 'sockjs-websocket', 'sockjs-xhr'];

  const $ = id => document.getElementById(id);
  const log = $('log');
  const input = $('q');
  const form = $('ask');
  const cancelButton = $('cancel');
  const banner = $('banner');
  const bannerText = $('banner-text');
  const bannerRetry = $('banner-retry');
  const connBadge = $('conn');
  const latencyToggle = $('show-latency');

  const answers = new Map(); // query id -> Answer
  const conn = {
    transport: null,      // the open (or opening) transport
    kind: null,           // its kind: websocket, sockjs-websocket, sockjs-xhr
    ready: false,         // authenticated on this transport
    resuming: false,      // resume sent, its ready not yet answered
    sessionId: sessionStorage.getItem(SESSION_KEY),
    resumed: false,       // the last ready said resumed: true
    failedTries: 0,
    retryTimer: null,
    pingTimer: null,
    pongTimer: null,
    outbox: [],           // query frames waiting for a ready connection
  };
  let queryCounter = 0;

  // ---------------------------------------------------------------- small DOM helpers

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /** Runs a DOM change and keeps the log pinned to the bottom if the reader was already there. */
  function keepingScroll(change) {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
    const result = change();
    if (atBottom) log.scrollTop = log.scrollHeight;
    return result;
  }

  function systemNote(text) {
    keepingScroll(() => log.appendChild(el('p', 'msg system', text)));
  }

  const yen = new Intl.NumberFormat('ja-JP');
  function formatMs(value) {
    return value == null || isNaN(value) ? '–' : Math.round(Number(value)) + ' ms';
  }

  // ---------------------------------------------------------------- one answer bubble

  class Answer {
    constructor(question) {
      this.question = question;
      this.id = null;
      this.finished = false;
      this.root = el('article', 'msg bot');
      this.root.setAttribute('aria-label', 'Answer');
      const head = el('div', 'answer-head');
      this.intent = el('span', 'intent');
      this.intent.hidden = true;
      this.status = el('span', 'status');
      const typing = el('span', 'typing');
      typing.setAttribute('aria-hidden', 'true');
      typing.append(el('i'), el('i'), el('i'));
      this.statusText = el('span', 'status-text');
      this.status.append(typing, this.statusText);
      head.append(this.intent, this.status);
      this.cards = el('div', 'cards');
      this.textBox = el('div', 'answer-text');
      this.note = el('div', 'note');
      this.note.hidden = true;
      this.error = el('div', 'error');
      this.error.setAttribute('role', 'alert');
      this.error.hidden = true;
      this.suggestions = el('div', 'suggestions');
      this.suggestions.setAttribute('role', 'group');
      this.suggestions.setAttribute('aria-label', 'Suggested follow-up questions');
      this.latency = el('div', 'latency');
      this.root.append(head, this.cards, this.textBox, this.note, this.error, this.suggestions, this.latency);
      this.reset();
    }

    /** Phase 1, at once: typing indicator and a skeleton card, before any frame arrives. */
    reset() {
      this.finished = false;
      this.started = false;
      this.cardKeys = new Set();
      this.root.setAttribute('aria-busy', 'true');
      this.status.hidden = false;
      this.statusText.textContent = '';
      this.cards.replaceChildren(skeletonCard());
      this.text = document.createTextNode('');
      this.textBox.replaceChildren(this.text);
      this.note.hidden = true;
      this.error.hidden = true;
      this.error.replaceChildren();
      this.suggestions.replaceChildren();
      this.latency.replaceChildren();
    }

    handle(frame) {
      keepingScroll(() => {
        switch (frame.type) {
          case 'status': this.onStatus(frame); break;
          case 'cards': this.addCards(frame.items || []); break;
          case 'chunk': this.onChunk(frame); break;
          case 'done': this.onDone(frame.metadata || {}); break;
          case 'error': this.fail(frame.message || 'Something went wrong.', frame.retryable === true, frame.code); break;
          case 'suggestions': this.showSuggestions(frame.items || []); break;
        }
      });
    }

    onStatus(frame) {
      if (this.started || this.finished) return;
      this.statusText.textContent = frame.message || '';
      if (frame.phase) this.status.dataset.phase = frame.phase;
    }

    onChunk(frame) {
      if (this.finished) return;
      if (!this.started) {
        this.started = true;
        this.status.hidden = true;
        this.dropSkeleton();
      }
      // append to the one text node: the browser never re-lays out what was already shown
      this.text.appendData(frame.text || '');
    }

    dropSkeleton() {
      this.cards.querySelectorAll('.skeleton').forEach(node => node.remove());
    }

    addCards(items) {
      this.dropSkeleton();
      for (const item of items) {
        const key = item.titleId + '/' + item.volume;
        if (this.cardKeys.has(key)) continue;
        this.cardKeys.add(key);
        this.cards.appendChild(productCard(item));
      }
    }

    onDone(metadata) {
      this.finish();
      if (metadata.intent) {
        this.intent.textContent = String(metadata.intent).replace(/_/g, ' ');
        this.intent.hidden = false;
      }
      if (metadata.cancelled) this.showNote('Stopped.');
      else if (!this.text.data) this.showNote('No answer text.');
      const parts = [
        ['first token', formatMs(metadata.first_token_ms), 'first_token_ms'],
        ['total', formatMs(metadata.total_ms), 'total_ms'],
        ['source', metadata.source || '–', 'source'],
        ['model', metadata.model || '–', 'model'],
      ];
      this.latency.replaceChildren(...parts.map(([label, value, field]) => {
        const span = el('span', null, label + ' ');
        const b = el('b', null, value);
        b.dataset.field = field;
        span.appendChild(b);
        return span;
      }));
    }

    fail(message, retryable, code) {
      this.finish();
      const text = el('span', null, message);
      this.error.replaceChildren(text);
      if (code) this.error.dataset.code = code;
      if (retryable) {
        const retry = el('button', 'retry', 'Retry');
        retry.type = 'button';
        retry.addEventListener('click', () => {
          this.retry();
          input.focus();
        });
        this.error.appendChild(retry);
      }
      this.error.hidden = false;
    }

    showNote(text) {
      this.note.textContent = text;
      this.note.hidden = false;
    }

    showSuggestions(items) {
      keepingScroll(() => this.suggestions.replaceChildren(...items.filter(item => item && item.text).map(item => {
        const chip = el('button', 'chip', item.text);
        chip.type = 'button';
        if (item.intent) chip.dataset.intent = item.intent;
        chip.addEventListener('click', () => {
          ask(item.text);
          input.focus();
        });
        return chip;
      })));
    }

    finish() {
      if (this.finished) return;
      this.finished = true;
      this.status.hidden = true;
      this.root.setAttribute('aria-busy', 'false');
      if (!this.cards.querySelector('.card:not(.skeleton)')) this.cards.replaceChildren();
      else this.dropSkeleton();
      updateCancelButton();
    }

    /** Asks the same question again into this bubble. */
    retry() {
      if (this.id) answers.delete(this.id);
      this.reset();
      sendQuery(this);
    }
  }

  function skeletonCard() {
    const card = el('div', 'card skeleton');
    card.setAttribute('aria-hidden', 'true');
    card.append(el('div', 'cover'), el('div', 'line'), el('div', 'line short'));
    return card;
  }

  function shopUrl(item) {
    return SHOP_URL_PATTERN
        .replace('{titleId}', encodeURIComponent(item.titleId))
        .replace('{volume}', encodeURIComponent(item.volume));
  }

  function productCard(item) {
    const card = el('article', 'card');
    card.dataset.titleId = item.titleId;
    const cover = el('div', 'cover');
    if (item.image) {
      const img = el('img');
      img.alt = '';
      img.loading = 'lazy';
      img.decoding = 'async';
      img.width = 120;
      img.height = 180;
      img.addEventListener('load', () => cover.classList.add('loaded'));
      img.addEventListener('error', () => { img.remove(); cover.classList.add('loaded'); });
      img.src = item.image;
      cover.appendChild(img);
    }
    const title = el('h3', 'card-title', item.title);
    const author = el('div', 'author', item.author || '');
    const row = el('div', 'card-row');
    row.append(el('span', 'volume', 'Vol. ' + item.volume), el('span', 'price', '¥' + yen.format(item.priceJpy)));
    const badge = el('span', 'badge ' + (item.inStock ? 'in' : 'out'), item.inStock ? 'In stock' : 'Sold out');
    const buy = el('a', 'buy' + (item.inStock ? '' : ' soldout'), item.inStock ? 'Buy' : 'Details');
    buy.href = shopUrl(item);
    buy.setAttribute('aria-label', (item.inStock ? 'Buy ' : 'Details of ') + item.title + ' volume ' + item.volume);
    card.append(cover, title, author, row, badge, buy);
    return card;
  }

  // ---------------------------------------------------------------- asking

  function nextQueryId() {
    return 'q' + (++queryCounter) + '-' + Date.now().toString(36);
  }

  function ask(text) {
    text = text.trim();
    if (!text) return;
    const answer = new Answer(text);
    keepingScroll(() => {
      const hello = log.querySelector('.hello');
      if (hello) hello.remove();
      log.appendChild(el('div', 'msg user', text));
      log.appendChild(answer.root);
    });
    sendQuery(answer);
  }

  function sendQuery(answer) {
    answer.id = nextQueryId();
    answer.root.dataset.qid = answer.id;
    answers.set(answer.id, answer);
    const frame = { action: 'query', id: answer.id, text: answer.question };
    if (conn.ready && !conn.resuming) {
      send(frame);
    } else {
      conn.outbox.push(frame);
      answer.statusText.textContent = 'Waiting for the connection…';
    }
    updateCancelButton();
  }

  function streamingAnswers() {
    return [...answers.values()].filter(a => !a.finished);
  }

  function updateCancelButton() {
    const streaming = streamingAnswers().length > 0;
    if (!streaming && document.activeElement === cancelButton) input.focus();
    cancelButton.hidden = !streaming;
  }

  function cancelLatest() {
    const open = streamingAnswers();
    const answer = open[open.length - 1];
    if (!answer) return;
    const queued = conn.outbox.findIndex(f => f.id === answer.id);
    if (queued >= 0) {
      conn.outbox.splice(queued, 1);
      answer.finish();
      answer.showNote('Stopped.');
    } else if (conn.ready) {
      send({ action: 'cancel', id: answer.id });
      answer.statusText.textContent = 'Stopping…';
    } else {
      answer.finish();
      answer.showNote('Stopped.');
    }
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    ask(text);
    input.focus();
  });
  input.addEventListener('keydown', event => {
    if (event.key === 'Escape' && !cancelButton.hidden) {
      event.preventDefault();
      cancelLatest();
    }
  });
  cancelButton.addEventListener('click', () => {
    cancelLatest();
    input.focus();
  });

  // ---------------------------------------------------------------- latency readout toggle

  function applyLatencyToggle(on) {
    document.body.classList.toggle('show-latency', on);
    latencyToggle.checked = on;
  }
  applyLatencyToggle(localStorage.getItem(LATENCY_KEY) === 'true');
  latencyToggle.addEventListener('change', () => {
    localStorage.setItem(LATENCY_KEY, String(latencyToggle.checked));
    applyLatencyToggle(latencyToggle.checked);
  });

  // ---------------------------------------------------------------- server frames

  /** Every frame from the server, whichever transport carried it. */
  function handleFrame(frame) {
    if (!frame || typeof frame !== 'object') return;
    if (frame.type === 'ready') return onReady(frame);
    if (frame.type === 'pong') return onPong();
    if (frame.type === 'error' && frame.id == null) return onConnectionError(frame);
    const answer = frame.id != null ? answers.get(frame.id) : null;
    if (answer) answer.handle(frame);
  }

  function onReady(frame) {
    if (!conn.ready) {
      conn.ready = true;
      conn.failedTries = 0;
      setConnState('online');
      hideBanner();
      const previous = conn.sessionId;
      if (previous && !frame.resumed && previous !== frame.sessionId) {
        // a new connection: continue the conversation we had, so follow-ups keep their context
        conn.resuming = true;
        conn.pendingSessionId = frame.sessionId;
        send({ action: 'resume', sessionId: previous });
        return;
      }
      adoptSession(frame.sessionId, !!frame.resumed);
    } else if (conn.resuming) {
      conn.resuming = false;
      adoptSession(frame.sessionId, !!frame.resumed);
      if (!frame.resumed) systemNote('The earlier conversation has expired; this is a new one.');
    }
  }

  function adoptSession(sessionId, resumed) {
    conn.sessionId = sessionId;
    conn.resumed = resumed;
    sessionStorage.setItem(SESSION_KEY, sessionId);
    const waiting = conn.outbox.splice(0);
    waiting.forEach(frame => {
      const answer = answers.get(frame.id);
      if (answer && !answer.finished) {
        answer.statusText.textContent = '';
        send(frame);
      }
    });
  }

  function onConnectionError(frame) {
    if (frame.code === 'unauthorized' && conn.resuming) {
      // that session is not ours (another tab's guest?): keep the fresh one
      conn.resuming = false;
      adoptSession(conn.pendingSessionId, false);
      return;
    }
    if (frame.code === 'unauthorized') {
      sessionStorage.removeItem(TOKEN_KEY); // expired or refused: fetch a new one on the next try
      sessionStorage.removeItem(SESSION_KEY);
      conn.sessionId = null;
      return;
    }
    systemNote(frame.message || 'The server reported an error.');
  }

  // ---------------------------------------------------------------- transports

  function wsBase() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
  }

  function sockJsPath() {
    const server = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
    const session = Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
    return '/sockjs/' + server + '/' + session;
  }

  function parseFrame(text, deliver) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return;
    }
    deliver(frame);
  }

  /**
   * Each transport calls events.open() once usable, events.frame(obj) per server frame and events.close(opened)
   * exactly once. It returns {send(frame), close()}.
   */
  const TRANSPORTS = {
    websocket(token, events) {
      const ws = new WebSocket(wsBase() + '/ws?token=' + encodeURIComponent(token));
      let opened = false;
      let closed = false;
      const end = () => {
        if (closed) return;
        closed = true;
        events.close(opened);
      };
      ws.onopen = () => { opened = true; events.open(); };
      ws.onmessage = event => { if (!closed) parseFrame(event.data, events.frame); };
      ws.onclose = end;
      return {
        send: frame => ws.send(JSON.stringify(frame)),
        close: () => { try { ws.close(); } catch (e) { /* already closing */ } end(); },
      };
    },

    // SockJS WebSocket transport: frames o (open), h (heartbeat), a[...] (messages), c[code,reason] (close)
    'sockjs-websocket'(token, events) {
      const ws = new WebSocket(wsBase() + sockJsPath() + '/websocket');
      let opened = false;
      let closed = false;
      const end = () => {
        if (closed) return;
        closed = true;
        events.close(opened);
      };
      ws.onmessage = event => {
        if (closed) return;
        sockJsFrame(String(event.data), () => { opened = true; events.open(); }, events.frame, () => ws.close());
      };
      ws.onclose = end;
      return {
        send: frame => ws.send(JSON.stringify([JSON.stringify(frame)])),
        close: () => { try { ws.close(); } catch (e) { /* already closing */ } end(); },
      };
    },

    // SockJS XHR polling: for networks where no WebSocket gets through at all
    'sockjs-xhr'(token, events) {
      const base = sockJsPath();
      const abort = new AbortController();
      let opened = false;
      let closed = false;
      let sending = Promise.resolve();
      const end = () => {
        if (closed) return;
        closed = true;
        abort.abort();
        events.close(opened);
      };
      (async () => {
        while (!closed) {
          let body;
          try {
            const response = await fetch(base + '/xhr', { method: 'POST', cache: 'no-store', signal: abort.signal });
            if (!response.ok) throw new Error('HTTP ' + response.status);
            body = await response.text();
          } catch (e) {
            return end();
          }
          for (const line of body.split('\n')) {
            if (line && !closed) sockJsFrame(line, () => { opened = true; events.open(); }, events.frame, end);
          }
        }
      })();
      return {
        send: frame => {
          const body = JSON.stringify([JSON.stringify(frame)]);
          sending = sending.then(() => fetch(base + '/xhr_send', {
            method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' }, signal: abort.signal,
          })).then(response => { if (!response.ok) end(); }, () => end());
        },
        close: end,
      };
    },
  };

  function sockJsFrame(data, onOpen, onFrame, onClose) {
    const kind = data.charAt(0);
    if (kind === 'o') {
      onOpen();
    } else if (kind === 'a') {
      let messages = [];
      try {
        messages = JSON.parse(data.slice(1));
      } catch (e) {
        return;
      }
      messages.forEach(message => parseFrame(message, onFrame));
    } else if (kind === 'c') {
      onClose();
    } // 'h' is a heartbeat
  }

  // ---------------------------------------------------------------- connection lifecycle

  async function devToken() {
    let token = sessionStorage.getItem(TOKEN_KEY);
    if (token) return token;
    const user = 'guest-' + Array.from(crypto.getRandomValues(new Uint8Array(5)), b => b.toString(16).padStart(2, '0')).join('');
    const response = await fetch('/auth/dev-token?user=' + encodeURIComponent(user), { cache: 'no-store' });
    if (!response.ok) throw new Error('dev token: HTTP ' + response.status);
    token = (await response.json()).token;
    sessionStorage.setItem(TOKEN_KEY, token);
    return token;
  }

  async function connect() {
    clearTimeout(conn.retryTimer);
    conn.retryTimer = null;
    if (conn.transport) return;
    conn.transport = 'pending';
    setConnState(conn.sessionId ? 'reconnecting' : 'connecting');
    let token;
    try {
      token = await devToken();
    } catch (e) {
      conn.transport = null;
      return tryFailed();
    }
    openTransport(token, 0);
  }

  function openTransport(token, index) {
    const kind = transportChain[index];
    let transport = null;
    let wasReady = false;
    const timeout = setTimeout(() => transport && transport.close(), CONNECT_TIMEOUT_MS);
    transport = TRANSPORTS[kind](token, {
      open() {
        clearTimeout(timeout);
        if (conn.transport !== transport) return;
        // a fallback that connects becomes the first choice for the rest of this page's life
        if (index > 0) transportChain = transportChain.slice(index);
        if (kind !== 'websocket') send({ action: 'auth', token });
        startPing();
      },
      frame(frame) {
        if (conn.transport !== transport) return;
        if (frame.type === 'ready') wasReady = true;
        handleFrame(frame);
      },
      close(opened) {
        clearTimeout(timeout);
        if (conn.transport !== transport) return;
        conn.transport = null;
        if (!opened && index + 1 < transportChain.length) {
          conn.transport = 'pending';
          return openTransport(token, index + 1);
        }
        disconnected(wasReady);
      },
    });
    conn.transport = transport;
    conn.kind = kind;
  }

  function send(frame) {
    if (conn.transport && conn.transport !== 'pending') conn.transport.send(frame);
  }

  function disconnected(wasReady) {
    stopPing();
    conn.ready = false;
    conn.resuming = false;
    // answers in flight are lost with the socket; say so, and offer to ask again
    for (const answer of streamingAnswers()) {
      if (!conn.outbox.some(frame => frame.id === answer.id)) {
        answer.handle({ type: 'error', message: 'The connection dropped before this answer finished.', retryable: true });
      }
    }
    if (wasReady) {
      conn.failedTries = 0;
      scheduleReconnect();
    } else {
      tryFailed();
    }
  }

  function tryFailed() {
    conn.failedTries++;
    if (conn.failedTries >= MAX_FAILED_TRIES) {
      setConnState('offline');
      showBanner();
    } else {
      scheduleReconnect();
    }
  }

  function scheduleReconnect() {
    setConnState('reconnecting');
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** conn.failedTries) * (0.8 + Math.random() * 0.4);
    clearTimeout(conn.retryTimer);
    conn.retryTimer = setTimeout(connect, delay);
  }

  function startPing() {
    stopPing();
    conn.pingTimer = setInterval(() => {
      if (!conn.ready) return;
      send({ action: 'ping' });
      clearTimeout(conn.pongTimer);
      // no pong: the socket is dead even if the browser has not noticed yet
      conn.pongTimer = setTimeout(() => dropConnection(), PONG_TIMEOUT_MS);
    }, PING_INTERVAL_MS);
  }

  function onPong() {
    clearTimeout(conn.pongTimer);
  }

  function stopPing() {
    clearInterval(conn.pingTimer);
    clearTimeout(conn.pongTimer);
  }

  /** Closes the socket as a network drop would; the page reconnects and resumes by itself. */
  function dropConnection() {
    if (conn.transport && conn.transport !== 'pending') conn.transport.close();
  }

  const CONN_LABELS = { connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', offline: 'Offline' };
  function setConnState(state) {
    connBadge.dataset.state = state;
    connBadge.textContent = CONN_LABELS[state];
  }

  function showBanner() {
    bannerText.textContent = "Can't reach MangaAssist after " + MAX_FAILED_TRIES
        + ' tries. Your conversation is kept on this page.';
    bannerRetry.disabled = false;
    banner.hidden = false;
  }

  function hideBanner() {
    const hadFocus = banner.contains(document.activeElement);
    banner.hidden = true;
    if (hadFocus) input.focus(); // never leave the focus on a button that just disappeared
  }

  bannerRetry.addEventListener('click', () => {
    bannerText.textContent = 'Reconnecting…';
    // the button is busy now: give the focus back to the question box (questions wait for the connection)
    if (document.activeElement === bannerRetry) input.focus();
    bannerRetry.disabled = true;
    conn.failedTries = 0;
    connect();
  });
  window.addEventListener('online', () => {
    if (!banner.hidden && !conn.transport) bannerRetry.click();
  });

  // hooks for tests and for support: a simulated network drop, and the frame handler the sockets use
  window.mangaassist = {
    dropConnection,
    handleFrame,
    state: () => ({
      ready: conn.ready, transport: conn.kind, sessionId: conn.sessionId, resumed: conn.resumed,
      failedTries: conn.failedTries,
    }),
  };

  input.focus();
  connect();
})();
