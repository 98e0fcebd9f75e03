"""The hall's spoken call: "التذكرة رقم ب اثنان وأربعون، الشباك رقم ثلاثة".

A hall screen speaks ``Announcement.text`` with an Arabic browser voice when it has one; otherwise it
plays ``Announcement.clips``, recorded words shipped as ``static/hall/voice/<slug>.ogg``
(``scripts/hall_voice_clips`` makes them). Clip slugs, all ASCII:

- ``ticket_number`` "التذكرة رقم", ``window_number`` "الشباك رقم";
- ``letter_a`` .. ``letter_z``: the spoken name of the queue letter's Arabic letter ("باء" for B);
- ``n1`` .. ``n19`` (each teen is one word), ``n20`` .. ``n90`` by tens, ``n100`` .. ``n900``;
- ``wa``: the conjunction "و" between the parts of a number.

Numbers are read in Modern Standard Arabic, masculine (the counted "رقم" is masculine), units before
tens as Arabic speaks them: 142 is "مائة واثنان وأربعون".
"""

from dataclasses import dataclass

# Queue letters follow the abjad order (أبجد هوز حطي كلمن سعفص قرشت ثخذ ضظغ), so the Latin letter
# on a ticket and the Arabic one on the screen keep the same rank.
QUEUE_LETTERS: tuple[tuple[str, str, str, str], ...] = (
    ("A", "أ", "ألف", "letter_a"),
    ("B", "ب", "باء", "letter_b"),
    ("C", "ج", "جيم", "letter_c"),
    ("D", "د", "دال", "letter_d"),
    ("E", "هـ", "هاء", "letter_e"),
    ("F", "و", "واو", "letter_f"),
    ("G", "ز", "زاي", "letter_g"),
    ("H", "ح", "حاء", "letter_h"),
    ("I", "ط", "طاء", "letter_i"),
    ("J", "ي", "ياء", "letter_j"),
    ("K", "ك", "كاف", "letter_k"),
    ("L", "ل", "لام", "letter_l"),
    ("M", "م", "ميم", "letter_m"),
    ("N", "ن", "نون", "letter_n"),
    ("O", "س", "سين", "letter_o"),
    ("P", "ع", "عين", "letter_p"),
    ("Q", "ف", "فاء", "letter_q"),
    ("R", "ص", "صاد", "letter_r"),
    ("S", "ق", "قاف", "letter_s"),
    ("T", "ر", "راء", "letter_t"),
    ("U", "ش", "شين", "letter_u"),
    ("V", "ت", "تاء", "letter_v"),
    ("W", "ث", "ثاء", "letter_w"),
    ("X", "خ", "خاء", "letter_x"),
    ("Y", "ذ", "ذال", "letter_y"),
    ("Z", "ض", "ضاد", "letter_z"),
)
_LETTERS = {latin: (arabic, name, slug) for latin, arabic, name, slug in QUEUE_LETTERS}

AND = "و"
_UNITS_AND_TEENS = (
    "",
    "واحد",
    "اثنان",
    "ثلاثة",
    "أربعة",
    "خمسة",
    "ستة",
    "سبعة",
    "ثمانية",
    "تسعة",
    "عشرة",
    "أحد عشر",
    "اثنا عشر",
    "ثلاثة عشر",
    "أربعة عشر",
    "خمسة عشر",
    "ستة عشر",
    "سبعة عشر",
    "ثمانية عشر",
    "تسعة عشر",
)
_TENS = ("", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون")
_HUNDREDS = (
    "",
    "مائة",
    "مائتان",
    "ثلاثمائة",
    "أربعمائة",
    "خمسمائة",
    "ستمائة",
    "سبعمائة",
    "ثمانمائة",
    "تسعمائة",
)

TICKET_NUMBER = "التذكرة رقم"
WINDOW_NUMBER = "الشباك رقم"
MAX_TICKET_NUMBER = 999
MAX_WINDOW_NUMBER = 99

_NUMBER_CLIPS = (
    {f"n{n}": _UNITS_AND_TEENS[n] for n in range(1, 20)}
    | {f"n{tens * 10}": _TENS[tens] for tens in range(2, 10)}
    | {f"n{hundreds * 100}": _HUNDREDS[hundreds] for hundreds in range(1, 10)}
)
_CLIP_WORDS: dict[str, str] = (
    {"ticket_number": TICKET_NUMBER, "window_number": WINDOW_NUMBER, "wa": AND}
    | {slug: name for _, _, name, slug in QUEUE_LETTERS}
    | _NUMBER_CLIPS
)
ALL_CLIPS: tuple[str, ...] = tuple(_CLIP_WORDS)
_CLIP_OF_WORD = {words: slug for slug, words in _NUMBER_CLIPS.items()} | {AND: "wa"}


def arabic_letter(latin: str) -> str:
    return _queue_letter(latin)[0]


def _queue_letter(latin: str) -> tuple[str, str, str]:
    try:
        return _LETTERS[latin]
    except (KeyError, TypeError):
        raise ValueError(f"Not a queue letter (A to Z): {latin!r}") from None


def clip_words(slug: str) -> str:
    try:
        return _CLIP_WORDS[slug]
    except KeyError:
        raise ValueError(f"No such clip: {slug!r}") from None


def number_words(n: int) -> list[str]:
    """The words of 1..999, with each conjunction "و" a word of its own."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_TICKET_NUMBER:
        raise ValueError(f"Only 1 to {MAX_TICKET_NUMBER} are read out: {n!r}")
    hundreds, rest = divmod(n, 100)
    words = [_HUNDREDS[hundreds]] if hundreds else []
    if rest and words:
        words.append(AND)
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words += [_UNITS_AND_TEENS[units], AND, _TENS[tens]] if units else [_TENS[tens]]
    elif rest:
        words.append(_UNITS_AND_TEENS[rest])
    return words


@dataclass(frozen=True)
class Announcement:
    text: str
    clips: tuple[str, ...]


def announcement(*, letter: str, number: int, window: int) -> Announcement:
    arabic, _, letter_clip = _queue_letter(letter)
    if isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= MAX_WINDOW_NUMBER:
        raise ValueError(f"Windows are numbered 1 to {MAX_WINDOW_NUMBER}: {window!r}")
    ticket_words, window_words = number_words(number), number_words(window)
    return Announcement(
        text=f"{TICKET_NUMBER} {arabic} {_spoken(ticket_words)}، {WINDOW_NUMBER} {_spoken(window_words)}",
        clips=(
            "ticket_number",
            letter_clip,
            *(_CLIP_OF_WORD[word] for word in ticket_words),
            "window_number",
            *(_CLIP_OF_WORD[word] for word in window_words),
        ),
    )


def _spoken(words: list[str]) -> str:
    joined: list[str] = []
    for word in words:
        # Written Arabic joins "و" to the word after it.
        if joined and joined[-1] == AND:
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(joined)
