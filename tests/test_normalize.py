import pytest

from service.domain.normalize import normalize_text

CASES = [
    ("nfc", "cafe\u0301", "café"),
    ("nul-and-controls", "a\x00b\x07c\x1bd", "abcd"),
    ("crlf", "one\r\ntwo\rthree", "one\ntwo\nthree"),
    ("tabs-and-runs", "a\t\t b   c", "a b c"),
    ("nbsp-is-space", "a\u00a0\u00a0b", "a b"),
    ("zero-width", "pre\u200bsident\ufeff", "president"),
    ("trailing-spaces", "line one   \nline two ", "line one\nline two"),
    ("blank-runs", "a\n\n\n\n\nb", "a\n\nb"),
    ("blank-lines-with-spaces", "a\n  \n \n b", "a\n\nb"),
    ("outer-whitespace", "\n\n  text  \n", "text"),
    ("line-separator", "a\u2028b\u2029c", "a\nb\nc"),
    ("whitespace-only", " \t\n\r\n ", ""),
    ("keeps-quotes-and-dashes", "“Yes” — she said…", "“Yes” — she said…"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_is_idempotent():
    raw = "  A\x00 b\r\n\r\n\r\n  c\u0301 \t d  "
    once = normalize_text(raw)
    assert normalize_text(once) == once
