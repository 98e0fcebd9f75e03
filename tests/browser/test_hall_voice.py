"""The hall's voice player (static/js/hall-voice.js) in Chromium: without an Arabic voice it plays the
chime then the recorded words in order; with one it speaks the server's text; calls wait their turn.
No page uses the player yet, so it is added to the home page."""

from dataclasses import asdict

import pytest

from hall.speech import announcement

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CHIME = "/static/hall/chime.ogg"
VOICE_BASE = "/static/hall/voice/"
# Stand-ins for the browser's voices and speech: an English voice and two Arabic ones (the Egyptian
# one is to be chosen); each utterance "speaks" for 50 ms, recorded with whether another was still on.
FAKE_SPEECH = """() => {
    window.spoken = [];
    let speaking = false;
    window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
    speechSynthesis.getVoices = () => [
        {name: "English", lang: "en-US"}, {name: "Saudi", lang: "ar-SA"}, {name: "Egyptian", lang: "ar-EG"},
    ];
    speechSynthesis.speak = (utterance) => {
        window.spoken.push({text: utterance.text, lang: utterance.lang, rate: utterance.rate,
                            voice: utterance.voice.name, overlapping: speaking});
        speaking = true;
        setTimeout(() => { speaking = false; utterance.onend(); }, 50);
    };
}"""


def call(letter: str, number: int, window: int) -> dict:
    announced = asdict(announcement(letter=letter, number=number, window=window))
    return {**announced, "clips": list(announced["clips"])}


@pytest.fixture
def player(page):
    """The home page with the player added; ``requested()`` lists the hall's sounds fetched, in order,
    and ``window.played`` the paths of those started (a sound is fetched before its turn to play)."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/")
    page.add_script_tag(url="/static/js/hall-voice.js")
    page.evaluate(
        """() => {
            window.played = [];
            const play = HTMLMediaElement.prototype.play;
            HTMLMediaElement.prototype.play = function () {
                window.played.push(new URL(this.src).pathname);
                return play.call(this);
            };
        }"""
    )
    page.requested = lambda: [
        url.removeprefix(page.url.rstrip("/")) for url in dict.fromkeys(requested) if "/static/hall/" in url
    ]
    return page


def announce(page, *calls: dict) -> list[dict]:
    page.evaluate(
        "([calls, options]) => calls.forEach((call) => HallVoice.announce(call, options))",
        [list(calls), {"voiceBase": VOICE_BASE, "chimeUrl": CHIME}],
    )
    page.wait_for_function("n => HallVoice.log.length >= n", arg=len(calls), timeout=30_000)
    return page.evaluate("HallVoice.log")


def test_without_an_arabic_voice_the_chime_then_the_clips_play_in_order(player):
    player.evaluate("() => { speechSynthesis.getVoices = () => [{name: 'English', lang: 'en-US'}]; }")
    b042 = call("B", 42, 3)

    [entry] = announce(player, b042)

    assert b042["clips"] == ["ticket_number", "letter_b", "n2", "wa", "n40", "window_number", "n3"]
    # Headless Chromium, launched as conftest does, lets a page play sound: each clip decoded and
    # played to its end.
    assert entry == {
        "mode": "clips",
        "text": "التذكرة رقم ب اثنان وأربعون، الشباك رقم ثلاثة",
        "clips": b042["clips"],
        "skipped": [],
        "blocked": False,
    }
    sounds = [CHIME] + [f"{VOICE_BASE}{clip}.ogg" for clip in b042["clips"]]
    assert player.requested() == sounds
    assert player.evaluate("window.played") == sounds


def test_when_the_browser_refuses_sound_the_player_still_goes_through_the_call(player):
    player.evaluate(
        """() => {
            speechSynthesis.getVoices = () => [];
            HTMLMediaElement.prototype.play = function () {
                window.played.push(new URL(this.src).pathname);
                return Promise.reject(new DOMException("Not before a gesture", "NotAllowedError"));
            };
        }"""
    )
    b042 = call("B", 42, 3)

    [entry] = announce(player, b042)

    assert (entry["mode"], entry["clips"], entry["skipped"], entry["blocked"]) == (
        "clips",
        b042["clips"],
        b042["clips"],
        True,
    )
    sounds = [CHIME] + [f"{VOICE_BASE}{clip}.ogg" for clip in b042["clips"]]
    assert player.requested() == sounds
    assert player.evaluate("window.played") == sounds


def test_a_missing_clip_is_skipped_and_the_rest_still_play(player):
    player.evaluate("() => { speechSynthesis.getVoices = () => []; }")
    broken = {"text": "", "clips": ["n7", "no_such_clip", "n8"]}

    [entry] = announce(player, broken)

    assert (entry["clips"], entry["skipped"], entry["blocked"]) == (broken["clips"], ["no_such_clip"], False)
    sounds = [CHIME] + [f"{VOICE_BASE}{clip}.ogg" for clip in broken["clips"]]
    assert player.requested() == sounds
    assert player.evaluate("window.played") == sounds


def test_with_an_arabic_voice_the_text_is_spoken_and_calls_wait_their_turn(player):
    player.evaluate(FAKE_SPEECH)
    first, second = call("B", 42, 3), call("Z", 999, 99)

    log = announce(player, first, second)

    assert [(entry["mode"], entry["text"], entry["clips"]) for entry in log] == [
        ("speech", first["text"], []),
        ("speech", second["text"], []),
    ]
    assert player.evaluate("window.spoken") == [
        {"text": first["text"], "lang": "ar-EG", "rate": 0.9, "voice": "Egyptian", "overlapping": False},
        {"text": second["text"], "lang": "ar-EG", "rate": 0.9, "voice": "Egyptian", "overlapping": False},
    ]
    assert second["text"] == "التذكرة رقم ض تسعمائة وتسعة وتسعون، الشباك رقم تسعة وتسعون"
    # A chime before each call; the recorded words are not even fetched when a voice speaks.
    assert player.evaluate("window.played") == [CHIME, CHIME]
    assert player.requested() == [CHIME]
