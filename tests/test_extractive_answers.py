"""The extractive engine's answers: which sentence answers, and when it abstains."""

import pytest

from service.domain.conversation import ChatMessage
from service.domain.engines.extractive import answer_hits
from service.domain.reading.article import build_article

LIBRARY = build_article(
    "Library opens after long fight\n\n"
    "The new library opened on Monday, ending years of debate over its cost.\n\n"
    "A new parking garage next door cost $4 million.\n\n"
    "Drone at a glance\n\n"
    "- Flight time of up to 55 minutes on a single battery\n"
    "- Cameras that spot hot spots from 30 meters away\n\n"
    "The reading room seats 120 people."
)


def answers(question: str) -> list[str]:
    hits = answer_hits(LIBRARY, [ChatMessage(role="user", content=question)])
    return [h.sentence.text for h in hits]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many people does the reading room seat?", ["The reading room seats 120 people."]),
        (
            "How long can the drone fly on one battery?",
            ["- Flight time of up to 55 minutes on a single battery"],
        ),
        ("How much did the new library cost?", []),
        ("How many books does the library hold?", []),
    ],
    ids=[
        "answered",
        "list-item-answers",
        "weaker-sentence-with-money-is-a-near-miss",
        "number-of-something-else",
    ],
)
def test_answer_or_abstain(question, expected):
    assert answers(question) == expected


def test_a_heading_is_never_the_answer():
    assert all("at a glance" not in text for text in answers("What is the drone like at a glance?"))


EARNINGS = build_article(
    "Toolmaker's profit rises\n\n"
    "Marlow Tools said Tuesday that its second-quarter profit rose 12%, helped by strong demand "
    "for cordless drills.\n\n"
    "Marlow Tools earned $8.1 million in the three months ended June 30.\n\n"
    "Its shares closed at a record.\n\n"
    "The company also plans a new plant in Ohio."
)


def test_a_weaker_sentence_holding_what_the_best_one_lacks_answers():
    # The lead covers more of the question but not "earn"; the sentence that does gives the sum.
    question = "How much did Marlow Tools earn in the second quarter?"
    hits = answer_hits(EARNINGS, [ChatMessage(role="user", content=question)])
    assert [h.sentence.text for h in hits] == [
        "Marlow Tools earned $8.1 million in the three months ended June 30."
    ]
