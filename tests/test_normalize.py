from hypothesis import given
from hypothesis import strategies as st
import pytest

from service.domain.reading.normalize import normalize_text

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
    ("accent-after-a-removed-character", "Cafe\u200b\u0301 owners", "Café owners"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_is_idempotent():
    raw = "  A\x00 b\r\n\r\n\r\n  c\u0301 \t d  "
    once = normalize_text(raw)
    assert normalize_text(once) == once


# Few characters, chosen to meet: letters, accents, what normalizing removes or rewrites.
@given(
    st.text(
        alphabet=st.sampled_from(
            [
                "e",
                "A",
                "\u0301",
                "\u0327",
                "\u200b",
                "\ufeff",
                "\x00",
                "\x07",
                "\n",
                "\r",
                " ",
                "\t",
                "\u00a0",
                "\u2028",
            ]
        )
    )
)
def test_normalizing_twice_changes_nothing(raw):
    once = normalize_text(raw)  # else an article's content-addressed id would change on re-post
    assert normalize_text(once) == once
