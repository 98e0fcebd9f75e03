// The hall screen's spoken call. The server sends each announcement as {text, clips} (hall/speech.py).
// After a chime, an Arabic voice of the browser speaks the text; a browser without one plays the
// recorded words (static/hall/voice/<clip>.ogg) one after another. Calls that come in meanwhile wait
// their turn. A sound that cannot play is skipped, never waited for: browsers refuse sound until the
// screen has been touched once, unless the kiosk allows it (--autoplay-policy=no-user-gesture-required);
// the log says so ("blocked"), so the page can ask for a touch.
//
//   HallVoice.announce({text, clips}, {voiceBase, chimeUrl, onDone(entry)})
//   HallVoice.log: one entry per finished call, {mode: "speech"|"clips", text, clips, skipped, blocked}
(function () {
  "use strict";

  const DEFAULTS = { voiceBase: "/static/hall/voice/", chimeUrl: "/static/hall/chime.ogg", onDone: null };
  // Clips last under 2 s: one still silent after this is stalled on the network.
  const CLIP_TIMEOUT_MS = 6000;
  // Chrome sometimes never ends an utterance; the queue must move on all the same.
  const SPEECH_TIMEOUT_MS = 20000;
  // Chrome lists its voices only after a first "voiceschanged"; Linux builds without voices never send it.
  const VOICES_WAIT_MS = 1000;
  const CLIP_NAME = /^[a-z0-9_]+$/;

  const log = [];
  const queue = [];
  const audios = new Map();
  let playing = false;
  let voicesListed = null;
  let utterance = null; // held so that Chrome does not collect it before its "end" event

  function announce(announcement, options) {
    const settings = Object.assign({}, DEFAULTS, options);
    audioFor(settings.chimeUrl);
    queue.push({ announcement, settings });
    if (!playing) playQueue();
  }

  async function playQueue() {
    playing = true;
    while (queue.length) {
      const { announcement, settings } = queue.shift();
      const entry = { mode: "clips", text: announcement.text, clips: [], skipped: [], blocked: false };
      try {
        await play(announcement, settings, entry);
      } catch (error) {
        console.error("HallVoice:", error);
      }
      log.push(entry);
      if (typeof settings.onDone === "function") {
        try {
          settings.onDone(entry);
        } catch (error) {
          console.error("HallVoice onDone:", error);
        }
      }
    }
    playing = false;
  }

  async function play(announcement, settings, entry) {
    const voice = await arabicVoice();
    const clips = (announcement.clips || []).filter((clip) => CLIP_NAME.test(clip));
    const clipUrl = (clip) => settings.voiceBase.replace(/\/?$/, "/") + clip + ".ogg";
    // Without a voice the clips load while the chime plays.
    if (!voice) clips.forEach((clip) => audioFor(clipUrl(clip)));
    note(entry, await playUrl(settings.chimeUrl));

    if (voice) {
      const outcome = await speak(announcement.text, voice);
      if (outcome === "spoken") {
        entry.mode = "speech";
        return;
      }
      note(entry, outcome);
    }
    for (const clip of clips) {
      entry.clips.push(clip);
      const outcome = await playUrl(clipUrl(clip));
      if (outcome !== "played") entry.skipped.push(clip);
      note(entry, outcome);
    }
  }

  function note(entry, outcome) {
    if (outcome === "blocked") entry.blocked = true;
  }

  function arabicVoice() {
    const synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return Promise.resolve(null);
    if (!voicesListed) {
      voicesListed = synth.getVoices().length
        ? Promise.resolve()
        : new Promise((resolve) => {
            synth.addEventListener("voiceschanged", resolve, { once: true });
            setTimeout(resolve, VOICES_WAIT_MS);
          });
    }
    return voicesListed.then(() => {
      const arabic = synth.getVoices().filter((voice) => /^ar([-_]|$)/i.test(voice.lang || ""));
      return arabic.find((voice) => /^ar[-_]eg$/i.test(voice.lang)) || arabic[0] || null;
    });
  }

  // Resolves "spoken", "blocked" (no touch yet) or "failed"; never rejects.
  function speak(text, voice) {
    return new Promise((resolve) => {
      let timer = null;
      const finish = (outcome) => {
        if (!timer) return;
        clearTimeout(timer);
        timer = null;
        utterance = null;
        resolve(outcome);
      };
      timer = setTimeout(() => {
        window.speechSynthesis.cancel();
        finish("spoken");
      }, SPEECH_TIMEOUT_MS);
      try {
        utterance = new window.SpeechSynthesisUtterance(text);
        utterance.voice = voice;
        utterance.lang = voice.lang || "ar-EG";
        utterance.rate = 0.9;
        utterance.onend = () => finish("spoken");
        utterance.onerror = (event) => finish(event && event.error === "not-allowed" ? "blocked" : "failed");
        window.speechSynthesis.speak(utterance);
      } catch (error) {
        console.error("HallVoice speech:", error);
        finish("failed");
      }
    });
  }

  // One element per sound, loading as soon as it is known; one that failed is dropped, to be
  // fetched afresh next time.
  function audioFor(url) {
    let audio = audios.get(url);
    if (!audio) {
      audio = new Audio();
      audio.preload = "auto";
      audio.src = url;
      audios.set(url, audio);
    }
    return audio;
  }

  // Resolves "played", "blocked" (autoplay refused) or "failed" (missing, undecodable, stalled).
  function playUrl(url) {
    if (audios.has(url) && audios.get(url).error) audios.delete(url); // failed while loading ahead: try again
    const audio = audioFor(url);
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        audio.removeEventListener("ended", onEnded);
        audio.removeEventListener("error", onError);
        if (outcome !== "played") audio.pause();
        if (outcome === "failed") audios.delete(url);
        resolve(outcome);
      };
      const onEnded = () => finish("played");
      const onError = () => finish("failed");
      const timer = setTimeout(() => finish("failed"), CLIP_TIMEOUT_MS);
      audio.addEventListener("ended", onEnded);
      audio.addEventListener("error", onError);
      try {
        audio.currentTime = 0;
        const started = audio.play();
        if (started) {
          started.catch((error) => finish(error && error.name === "NotAllowedError" ? "blocked" : "failed"));
        }
      } catch (error) {
        finish("failed");
      }
    });
  }

  window.HallVoice = { announce, log };
})();
