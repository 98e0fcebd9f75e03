"""Arabic text folding for search: a citizen types "اشغال" and must find "إشغال"."""

import re
import unicodedata

_DIACRITICS_AND_TATWEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_WHITESPACE = re.compile(r"\s+")
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "ء",  # مسؤول and مسئول are both in use
        "ئ": "ء",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic digits
    }
)


def fold_arabic(text: str) -> str:
    """Fold hamza forms, taa marbuta, alef maqsura, diacritics, tatweel, digits and case."""
    text = _DIACRITICS_AND_TATWEEL.sub("", text or "")
    return _WHITESPACE.sub(" ", text.translate(_FOLD).casefold()).strip()


def visible_text(text: str) -> str:
    """``text`` without invisible format characters (RLM, LRM, zero-width space and joiners, BOM, soft
    hyphen: Unicode category Cf) and with runs of white space made one space — what a "required" check
    must look at, so that a reason made only of invisible characters counts as empty."""
    return " ".join("".join(c for c in (text or "") if unicodedata.category(c) != "Cf").split())


_DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)


def normalize_digits(text: str) -> str:
    """Digits as typed on an Arabic keyboard made Latin, spaces and dashes dropped: 0101-234 5678."""
    return re.sub(r"[\s-]", "", (text or "").translate(_DIGITS))
