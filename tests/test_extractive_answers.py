"""The extractive engine's answers: which sentence answers, and when it abstains."""

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


def answers(question: str, *earlier: str) -> list[str]:
    turns = [*earlier, question]
    messages = [
        ChatMessage(role="user" if i % 2 == 0 else "assistant", content=text)
        for i, text in enumerate(turns)
    ]
    return [h.sentence.text for h in answer_hits(LIBRARY, messages)]


def test_a_question_the_article_answers_is_answered_with_its_sentence():
    assert answers("How many people does the reading room seat?") == [
        "The reading room seats 120 people."
    ]


def test_a_near_miss_is_abstained_on():
    # The reading room is there, but not what the negation asks about it.
    assert answers("How many people does the reading room not seat?") == []


def test_a_heading_is_never_the_answer():
    assert all("at a glance" not in text for text in answers("What is the drone like at a glance?"))


def test_a_follow_up_without_words_of_its_own_continues_from_the_context():
    found = answers(
        "And then?", "How many people does the reading room seat?", "It seats 120 people."
    )
    assert found == ["The reading room seats 120 people."]
