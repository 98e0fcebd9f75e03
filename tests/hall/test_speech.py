"""The hall's spoken call: Arabic number words, the text a browser voice speaks and the recorded clips
played instead, which must all be committed Ogg files."""

from pathlib import Path

import pytest

from hall.speech import (
    ALL_CLIPS,
    QUEUE_LETTERS,
    Announcement,
    announcement,
    arabic_letter,
    clip_words,
    number_words,
)

STATIC = Path(__file__).resolve().parents[2] / "static" / "hall"
UNITS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
TEENS = ["أحد عشر", "اثنا عشر"] + [f"{unit} عشر" for unit in UNITS[2:]]
TENS = ["عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
HUNDREDS = ["مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة", "ثمانمائة", "تسعمائة"]
LETTER_NAMES = ["ألف", "باء", "جيم", "دال", "هاء", "واو", "زاي", "حاء", "طاء", "ياء", "كاف", "لام", "ميم"]
LETTER_NAMES += ["نون", "سين", "عين", "فاء", "صاد", "قاف", "راء", "شين", "تاء", "ثاء", "خاء", "ذال", "ضاد"]
# The words of one clip each, and "و".
CLIP_WORDS = {clip_words(clip) for clip in ALL_CLIPS}


def expected_words(n: int) -> list[str]:
    """1..999 built from the rules, independently of hall.speech: hundreds, then units before tens."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    parts = [[HUNDREDS[hundreds - 1]]] if hundreds else []
    if rest == 10:
        parts.append(["عشرة"])
    elif 10 < rest < 20:
        parts.append([TEENS[units - 1]])
    else:
        parts += [[UNITS[units - 1]]] if units else []
        parts += [[TENS[tens - 2]]] if tens else []
    words = parts[0]
    for part in parts[1:]:
        words = [*words, "و", *part]
    return words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (1, ["واحد"]),
        (10, ["عشرة"]),
        (11, ["أحد عشر"]),
        (12, ["اثنا عشر"]),
        (19, ["تسعة عشر"]),
        (20, ["عشرون"]),
        (42, ["اثنان", "و", "أربعون"]),
        (100, ["مائة"]),
        (111, ["مائة", "و", "أحد عشر"]),
        (142, ["مائة", "و", "اثنان", "و", "أربعون"]),
        (200, ["مائتان"]),
        (305, ["ثلاثمائة", "و", "خمسة"]),
        (810, ["ثمانمائة", "و", "عشرة"]),
        (999, ["تسعمائة", "و", "تسعة", "و", "تسعون"]),
    ],
)
def test_number_words_spot_values(n, words):
    assert number_words(n) == words


def test_every_number_follows_the_rules_in_words_that_have_clips():
    for n in range(1, 1000):
        words = number_words(n)
        assert words == expected_words(n), n
        # Words and "و" alternate, and each word is a recorded clip.
        assert words[1::2] == ["و"] * (len(words) // 2), n
        assert "و" not in words[::2], n
        assert set(words) <= CLIP_WORDS, n


@pytest.mark.parametrize("n", [0, -1, 1000, 1.0, "5", True, None])
def test_number_words_refuse_what_is_not_1_to_999(n):
    with pytest.raises(ValueError):
        number_words(n)


def test_queue_letters_are_the_alphabet_in_abjad_order():
    assert [latin for latin, *_ in QUEUE_LETTERS] == [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    assert "".join(arabic for _, arabic, *_ in QUEUE_LETTERS) == "أبجدهـوزحطيكلمنسعفصقرشتثخذض"
    assert [clip for *_, clip in QUEUE_LETTERS] == [f"letter_{chr(code)}" for code in range(97, 123)]
    assert [clip_words(clip) for *_, clip in QUEUE_LETTERS] == LETTER_NAMES
    assert [name for _, _, name, _ in QUEUE_LETTERS] == [clip_words(clip) for *_, clip in QUEUE_LETTERS]
    assert arabic_letter("B") == "ب"
    assert arabic_letter("Z") == "ض"


@pytest.mark.parametrize("letter", ["b", "", "AB", "ب", "1", None])
def test_unknown_letters_are_refused(letter):
    with pytest.raises(ValueError):
        arabic_letter(letter)
    with pytest.raises(ValueError):
        announcement(letter=letter, number=1, window=1)


def test_the_issues_example():
    assert announcement(letter="B", number=42, window=3) == Announcement(
        text="التذكرة رقم ب اثنان وأربعون، الشباك رقم ثلاثة",
        clips=("ticket_number", "letter_b", "n2", "wa", "n40", "window_number", "n3"),
    )


def test_conjunctions_join_the_next_word_in_text_and_are_a_clip_of_their_own():
    call = announcement(letter="E", number=142, window=21)
    assert call.text == "التذكرة رقم هـ مائة واثنان وأربعون، الشباك رقم واحد وعشرون"
    assert call.clips == (
        *("ticket_number", "letter_e", "n100", "wa", "n2", "wa", "n40"),
        *("window_number", "n1", "wa", "n20"),
    )


def test_the_clips_speak_the_text():
    for latin, arabic, name, _ in QUEUE_LETTERS:
        for number, window in [(7, 99), (111, 10), (999, 1)]:
            call = announcement(letter=latin, number=number, window=window)
            spoken = " ".join(clip_words(clip) for clip in call.clips).replace(" و ", " و")
            expected = call.text.replace(f"رقم {arabic} ", f"رقم {name} ").replace("،", "")
            assert spoken == expected


@pytest.mark.parametrize(("number", "window"), [(0, 1), (1000, 1), (1, 0), (1, 100), (1, 1.5)])
def test_numbers_out_of_range_are_refused(number, window):
    with pytest.raises(ValueError):
        announcement(letter="A", number=number, window=window)


def test_all_clips_are_every_clip_an_announcement_can_use_and_no_more():
    used = {
        clip
        for latin, *_ in QUEUE_LETTERS
        for number in range(1, 1000)
        for clip in announcement(letter=latin, number=number, window=number % 99 + 1).clips
    }
    assert used == set(ALL_CLIPS)
    assert len(ALL_CLIPS) == len(set(ALL_CLIPS)) == 2 + 26 + 1 + 19 + 8 + 9
    assert all(clip.isascii() and clip.replace("_", "").isalnum() for clip in ALL_CLIPS)
    with pytest.raises(ValueError):
        clip_words("n1000")


def test_every_clip_is_a_committed_ogg_file():
    for path in [STATIC / "chime.ogg", *(STATIC / "voice" / f"{clip}.ogg" for clip in ALL_CLIPS)]:
        assert path.is_file(), path
        data = path.read_bytes()
        assert data.startswith(b"OggS"), path
        assert len(data) > 2000, path
    assert {path.stem for path in (STATIC / "voice").glob("*.ogg")} == set(ALL_CLIPS)


def test_the_clips_stay_small():
    total = sum(path.stat().st_size for path in STATIC.rglob("*.ogg"))
    assert total < 1024 * 1024
