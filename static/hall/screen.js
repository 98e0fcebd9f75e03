// The hall screen: the state the server rendered the page with, then every change over server-sent
// events (hall/views_devices.py). A new call — or a call again — is highlighted, chimed and spoken.
// The stream ends every few minutes by design and whenever a web worker restarts; EventSource then
// reconnects by itself. If the browser gives up (a proxy answered with an error) or nothing at all
// arrives for 40 s (a dead network path), the page opens a new stream itself, waiting a little longer
// after each failure, up to 30 s. The state always comes whole, so a reconnected screen is current.
(function () {
  "use strict";

  const SILENCE_MS = 40000; // the server sends a "ping" at least every 15 s
  const MAX_BACKOFF_MS = 30000;

  const root = document.querySelector("[data-stream]");
  if (!root) return;
  const texts = document.querySelector("[data-texts]").dataset;
  const statusLine = root.querySelector("[data-status]");
  const soundButton = root.querySelector("[data-enable-sound]");
  const english = root.dataset.lang === "en";
  let source = null;
  let backoff = 1000;
  let lastLine = Date.now();
  let announced = null;
  let version = null;

  function render(state) {
    if (version !== null && state.version < version) return;
    version = state.version;
    const calls = state.calls || [];
    const current = calls[0];
    root.querySelector("[data-current-ticket]").textContent = current ? (english ? current.code : current.code_ar) : "—";
    root.querySelector("[data-current-window]").textContent = current ? current.window : "—";
    const recent = root.querySelector("[data-recent]");
    recent.replaceChildren(...calls.slice(1).map((call) => row([english ? call.code : call.code_ar, call.window])));
    const queues = root.querySelector("[data-queues]");
    queues.replaceChildren(
      ...(state.queues || []).map((queue) =>
        row([
          (english ? queue.name_en : queue.name_ar) + " (" + (english ? queue.letter : queue.letter_ar) + ")",
          queue.waiting,
          queue.wait_minutes === null ? texts.noWindow : texts.minutes.replace("%(minutes)s", queue.wait_minutes),
        ])
      )
    );
    if (current && current.key !== announced) {
      const first = announced === null;
      announced = current.key;
      // The state the page opens with is not news: only calls made while it is open are announced.
      if (!first || root.dataset.opened === "late") announce(current);
    }
    root.dataset.opened = "late";
    root.dataset.version = String(state.version);
  }

  function row(cells) {
    const tr = document.createElement("tr");
    for (const value of cells) {
      const td = document.createElement("td");
      td.textContent = value;
      tr.appendChild(td);
    }
    return tr;
  }

  function announce(call) {
    const current = root.querySelector(".screen-current");
    current.classList.remove("screen-current--new");
    void current.offsetWidth; // restart the highlight's animation
    current.classList.add("screen-current--new");
    if (!window.HallVoice) return;
    window.HallVoice.announce(call.announcement, {
      voiceBase: root.dataset.voiceBase,
      chimeUrl: root.dataset.chime,
      onDone(entry) {
        if (entry.blocked && soundButton) soundButton.hidden = false;
      },
    });
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(root.dataset.stream);
    lastLine = Date.now();
    source.onopen = function () {
      backoff = 1000;
      root.dataset.opens = String(Number(root.dataset.opens || 0) + 1);
      statusLine.textContent = texts.live;
      root.dataset.connection = "open";
    };
    source.onmessage = function (event) {
      lastLine = Date.now();
      render(JSON.parse(event.data));
    };
    source.addEventListener("ping", function () {
      lastLine = Date.now();
    });
    source.onerror = function () {
      statusLine.textContent = texts.reconnecting;
      root.dataset.connection = "lost";
      if (source.readyState === EventSource.CLOSED) retryLater();
    };
  }

  function retryLater() {
    const wait = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    window.setTimeout(connect, wait);
  }

  // Every line of the stream (state or "ping") resets the watchdog; a stream silent too long is replaced.
  window.setInterval(function () {
    if (Date.now() - lastLine > SILENCE_MS) {
      statusLine.textContent = texts.reconnecting;
      connect();
    }
  }, 5000);

  if (soundButton) {
    soundButton.addEventListener("click", function () {
      soundButton.hidden = true;
      const current = root.querySelector("[data-current-ticket]");
      if (current) current.focus();
    });
  }

  render(JSON.parse(document.getElementById("hall-state").textContent));
  connect();
})();
