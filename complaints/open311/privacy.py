"""What Open311 publishes of a complaint's words (its description, address, public replies) with the
personal data people put in them masked: the complainant's own name and mobile number, any Egyptian
mobile number or national ID, any e-mail address. Complainants write "call me on 010…" in
descriptions; a public API must not repeat it."""

import re

from core.text import normalize_digits, visible_text

MASK = "[…]"
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"']+@[^\s@<>()\[\],;:\"']+\.[^\s@<>()\[\],;:\"']+")
# A run of digits (Latin, Arabic-Indic or Persian), single spaces, dots or dashes between them.
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_DIGIT_RUN = re.compile(rf"\+?{_DIGIT}(?:[ .\-]?{_DIGIT})+")
# Within a run's digits: an Egyptian mobile number (01x and 8 digits, with or without 20 / 0020), or a
# national ID (14 digits from 2 or 3).
_PERSONAL_NUMBER = re.compile(r"1[0125]\d{8}|[23]\d{13}")


def masked(text: str, *, name: str = "", mobile: str = "") -> str:
    """``text`` with personal data replaced by MASK; ``name`` and ``mobile`` are the complainant's own."""
    if not text:
        return text
    text = _EMAIL.sub(MASK, text)
    own_mobile = _digits(mobile)[-10:] if mobile else ""

    def number(match: re.Match) -> str:
        digits = _digits(match.group())
        if _PERSONAL_NUMBER.search(digits) or (own_mobile and own_mobile in digits):
            return MASK
        return match.group()

    text = _DIGIT_RUN.sub(number, text)
    name = visible_text(name)
    if len(name) >= 3:
        words = [re.escape(word) for word in name.split()]
        text = re.sub(r"\s+".join(words), MASK, text, flags=re.IGNORECASE)
    return text


def _digits(text: str) -> str:
    return re.sub(r"\D", "", normalize_digits(text))
