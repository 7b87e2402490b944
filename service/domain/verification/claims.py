"""Splitting any text into claims: its sentences, and clauses joined by "and"/"but" when both
sides read as statements of their own (a subject and a verb each, roughly: enough words)."""

import re

from ..reading.segment import split_sentences

# ", and" / "; and" / ", but" / "; " between two clauses.
_JOINT = re.compile(r"(?:,|;)\s+(?:and|but)\s+|;\s+|\s+but\s+")
MIN_CLAUSE_WORDS = 5


def split_claims(text: str) -> list[tuple[int, int]]:
    """Spans of `text`, in order, that are claims to check one by one."""
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        spans += _clauses(text, start, end)
    return spans


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for joint in _JOINT.finditer(text, start, end):
        left, right = text[cursor : joint.start()], text[joint.end() : end]
        if len(left.split()) >= MIN_CLAUSE_WORDS and len(right.split()) >= MIN_CLAUSE_WORDS:
            pieces.append((cursor, joint.start()))
            cursor = joint.end()
    pieces.append((cursor, end))
    return [_trim(text, s, e) for s, e in pieces if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + len(piece.rstrip())
