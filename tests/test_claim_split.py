import pytest

from service.domain.verification.claims import split_claims

CASES = [
    (
        "sentences",
        "The mayor spoke. The council voted.",
        ["The mayor spoke.", "The council voted."],
    ),
    (
        "comma-and-clauses",
        "Shares rose 5 percent on Monday, and the company said profits would double.",
        ["Shares rose 5 percent on Monday", "the company said profits would double."],
    ),
    (
        "but-clauses",
        "The council approved the budget on Tuesday but the mayor vetoed it the next day.",
        ["The council approved the budget on Tuesday", "the mayor vetoed it the next day."],
    ),
    (
        "semicolon",
        "The dam opened on Monday after years of delay; the county paid $3 million for it.",
        ["The dam opened on Monday after years of delay", "the county paid $3 million for it."],
    ),
    ("short-and-not-split", "It rained and snowed.", ["It rained and snowed."]),
    (
        "noun-list-not-split",
        "The council, the mayor and the school board met.",
        ["The council, the mayor and the school board met."],
    ),
    (
        "short-side-not-split",
        "Prices rose sharply across the region, and fell.",
        ["Prices rose sharply across the region, and fell."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_split_claims(text, expected):
    assert [text[s:e] for s, e in split_claims(text)] == expected
