"""Sentence spans of article text.

Line rules decide which newlines are hard boundaries (blank lines, list items,
heading-like lines); sentencex splits the text between them; a few fix-ups
correct what sentencex gets wrong on news prose (see tests/test_segment.py).
"""

from bisect import bisect_left
from collections.abc import Iterator
import re

from sentencex import segment

# "- ", "* ", "• ", "– ", "1. ", "12) ": letters are left out because "A. Smith" is an initial.
_LIST_ITEM = re.compile(r"(?:[-*•–]|\d{1,3}[.)])\s")
# A line ending like this ends a sentence; any other line is heading- or label-like.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
# ...unless it stops mid-phrase, which marks a soft wrap rather than a heading.
_WRAP_END = re.compile(
    r"(?:[,;–—-]|\b(?:a|an|and|as|at|but|by|for|from|in|of|on|or|that|the|to|with))[\"'”’]?$"
)
# Titles and abbreviations that never end a sentence but after which sentencex splits.
_NO_BREAK_AFTER = re.compile(r"(?:^|\W)(?:Ms|Amb|Atty|Ft|Vol|approx)\.$|\(ret\.\)$")
# "9 p.m. ET": sentencex splits before the time zone.
_CLOCK_END = re.compile(r"[ap]\.m\.$")
_TIME_ZONE = re.compile(r"(?:ET|EST|EDT|CT|CST|CDT|MT|PT|PST|PDT|GMT|BST|UTC|CET)\b")
# A whole sentence in parentheses: sentencex glues it to the sentence that follows.
_PAREN_SENTENCE_END = re.compile(r"[.!?][\"'”’]?\)\s+(?=[\"“‘(]?[A-Z])")
# sentencex panics on some non-ASCII spaces and rejects lone surrogates; both swaps keep offsets.
_WHITESPACE = re.compile(r"\s")
_SURROGATE = re.compile("[\ud800-\udfff]")
# sentencex splits after "..." but never after "…" (see _sentencex_ends).
_ELLIPSIS = re.compile("…")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ascending (start, end) spans of the sentences of `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for start, end in _blocks(text):
        spans.extend(_merge_wrong_breaks(text, _block_sentences(text, start, end)))
    return spans


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of the non-blank runs of lines that no newline rule separates."""
    lines = text.split("\n")
    start = pos = 0
    for line, next_line in zip(lines, lines[1:] + [None], strict=True):
        pos += len(line) + 1
        line = line.strip()
        if next_line is None or _hard_break(line, next_line.strip()):
            if line:  # a blank line is a block of its own: nothing to yield
                yield start, pos - 1
            start = pos


def ends_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does: a stop, maybe inside quotes or brackets."""
    return bool(_SENTENCE_END.search(text))


def _hard_break(line: str, next_line: str) -> bool:
    """Whether the newline between two (stripped) lines always ends a sentence."""
    if not line or not next_line:  # blank line: paragraph break
        return True
    if _LIST_ITEM.match(line) or _LIST_ITEM.match(next_line):
        return True
    if ends_sentence(line):  # sentencex decides, as for a space
        return False
    return not (_WRAP_END.search(line) or next_line[0].islower())


def _block_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], a block without hard line breaks."""
    block = text[start:end]
    marker = _LIST_ITEM.match(block)
    skip = marker.end() if marker else 0  # sentencex reads "1." as a sentence of its own
    cuts = {skip + cut for cut in _sentencex_ends(block[skip:])}
    cuts.update(m.end() for m in _PAREN_SENTENCE_END.finditer(block))
    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in sorted(cuts | {len(block)}):
        _append_trimmed(spans, block, prev, cut, start)
        prev = cut
    return spans


def _sentencex_ends(chunk: str) -> list[int]:
    """Offsets in `chunk` where sentencex ends a sentence."""
    safe = _SURROGATE.sub("\ufffd", _WHITESPACE.sub(" ", chunk))
    # Feed sentencex "..." for each "…" so both behave alike, then map offsets back.
    dots = [m.start() for m in _ELLIPSIS.finditer(safe)]
    widened = [dot + 2 * i for i, dot in enumerate(dots)]
    ends, pos = [], 0
    for piece in segment("en", safe.replace("…", "...")):
        pos += len(piece)
        k = bisect_left(widened, pos)  # "…" that start before pos
        ends.append(max(pos - 2 * k, dots[k - 1] + 1) if k else pos)
    return ends


def _append_trimmed(
    spans: list[tuple[int, int]], block: str, lo: int, hi: int, offset: int
) -> None:
    """Append block[lo:hi] without surrounding whitespace, shifted by offset, if non-empty."""
    piece = block[lo:hi]
    stripped = piece.lstrip()
    if stripped:
        lo += len(piece) - len(stripped)
        spans.append((offset + lo, offset + lo + len(stripped.rstrip())))


def _merge_wrong_breaks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences that sentencex split after an abbreviation that does not end them."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and _wrong_break(text, merged[-1], start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _wrong_break(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether the break between span `previous` and the sentence at `start` is wrong."""
    tail = text[max(previous[0], previous[1] - 8) : previous[1]]  # windows keep this O(1)
    if _NO_BREAK_AFTER.search(tail):
        return True
    return bool(_CLOCK_END.search(tail) and _TIME_ZONE.match(text, start, start + 4))
