"""Normalization: the canonical article text that every citation offset indexes."""

import re
import unicodedata

# Unicode line and paragraph separators become plain newlines before anything else.
_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")
# Zero-width characters and the byte-order mark carry no text and break matching.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(raw: str) -> str:
    """NFC, no control characters, one space between words, at most one blank line in a row."""
    text = _NEWLINES.sub("\n", raw)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch == "\n" or ch == "\t" or not _is_control(ch))
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    # NFC last: a character removed above may have stood between a letter and its accent.
    return unicodedata.normalize("NFC", text)


def _is_control(ch: str) -> bool:
    # Cc is C0/C1 controls (NUL included); Cs/Co/Cn are surrogates, private use, unassigned.
    return unicodedata.category(ch) in {"Cc", "Cs", "Cn"}
