"""The golden data: enough of it, and the validator that CI runs over it."""

import pytest

from service.domain.reading.tokens import tokenizer_for
from service.evals.golden import (
    GOLDEN_DIR,
    GoldenArticle,
    GoldenQuestion,
    GoldenQuestions,
    load_articles,
    load_questions,
)
from service.evals.validate import validate


@pytest.fixture(scope="module")
def golden():
    return load_articles(), load_questions()


def test_the_golden_data_is_valid(golden):
    assert [str(p) for p in validate(*golden)] == []


def test_the_held_out_questions_are_valid_and_apart(golden):
    """evals/heldout measures the extractive engine on questions it was never tuned on."""
    articles, questions = golden
    held_out = load_questions(GOLDEN_DIR.parent / "heldout" / "questions")
    assert [str(p) for p in validate(articles, held_out)] == []
    assert {g.article_id for g in held_out} == {a.id for a in articles}
    asked = {q.question.lower() for group in questions for q in group.questions}
    assert not asked & {q.question.lower() for group in held_out for q in group.questions}


def test_there_is_enough_of_it(golden):
    articles, questions = golden
    all_questions = [q for group in questions for q in group.questions]
    assert len(articles) >= 15
    assert len({a.topic for a in articles}) >= 7
    assert max(tokenizer_for(None).count(a.text) for a in articles) > 20_000
    assert sum(a.injection is not None for a in articles) >= 4
    assert sum(q.answerable for q in all_questions) >= 120
    assert sum(not q.answerable for q in all_questions) >= 30
    assert sum(len(group.conversations) for group in questions) >= 8


ARTICLE = GoldenArticle(
    id="a",
    topic="local",
    title="Dam",
    text=("The dam opened on Monday. It cost $3 million, the county said. Officials cheered."),
    reference_summary="A dam opened.",
    key_facts=["Monday", "$3 million", "county"],
)


def question(**fields) -> GoldenQuestions:
    return GoldenQuestions(article_id="a", questions=[GoldenQuestion(id="a-q1", **fields)])


BAD = [
    (
        "support-lacks-answer",
        question(
            question="What did it cost?",
            answerable=True,
            answer="$3 million",
            support=["The dam opened on Monday."],
        ),
        "do not contain the answer",
    ),
    (
        "answer-not-whole-words",
        question(
            question="What did it cost?",
            answerable=True,
            answer="$3 mil",
            support=["It cost $3 million"],
        ),
        "as whole words",
    ),
    (
        "support-not-verbatim",
        question(
            question="What did it cost?",
            answerable=True,
            answer="$3 million",
            support=["It cost three million."],
        ),
        "not verbatim",
    ),
    (
        "unanswerable-with-answer",
        question(question="Who built it?", answerable=False, answer="Acme", why="not said"),
        "unanswerable",
    ),
    ("unknown-article", GoldenQuestions(article_id="zzz", questions=[]), "unknown article"),
]


@pytest.mark.parametrize(("questions", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_the_validator_rejects(questions, message):
    problems = validate([ARTICLE], [questions])
    assert len(problems) == 1 and message in problems[0].what


def test_the_validator_accepts_a_good_case():
    good = question(
        question="What did it cost?",
        answerable=True,
        answer="$3 million",
        support=["It cost $3 million"],
    )
    assert validate([ARTICLE], [good]) == []


def test_the_validator_rejects_a_missing_key_fact():
    article = ARTICLE.model_copy(update={"key_facts": ["Monday", "$3 million", "Tuesday"]})
    assert "key fact 'Tuesday'" in validate([article], [])[0].what
