"""Reading a PDF the app produced as a person would: its text, with presentation forms folded back to
letters and bidi controls dropped (pdftotext, from poppler-utils)."""

import subprocess
import unicodedata

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)
