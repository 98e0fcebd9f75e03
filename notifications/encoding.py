"""How many SMS parts a text takes, as the network counts them.

GSM-7 carries 160 septets in one message and 153 per part once concatenated (the rest is the
concatenation header); characters of the extension table cost two septets (escape + character).
Anything outside GSM-7 — Arabic, for one — goes as UCS-2: 70 UTF-16 code units alone, 67 per part.
A character is never split across two parts, so parts are filled greedily.
"""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7, UCS2 = "gsm7", "ucs2"
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}  # (single message, per part when concatenated)


@dataclass(frozen=True)
class SmsParts:
    encoding: str
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    parts: int


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _costs(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [len(ch.encode("utf-16-le")) // 2 for ch in text]  # 2 for characters beyond the BMP (emoji)


def sms_parts(text: str) -> SmsParts:
    encoding = GSM7 if is_gsm7(text) else UCS2
    single, per_part = LIMITS[encoding]
    costs = _costs(text, encoding)
    units = sum(costs)
    if units <= single:
        return SmsParts(encoding, units, 1)
    parts, used = 1, 0
    for cost in costs:
        if used + cost > per_part:
            parts, used = parts + 1, 0
        used += cost
    return SmsParts(encoding, units, parts)
