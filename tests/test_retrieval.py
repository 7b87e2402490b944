"""Retrieval: words compared as readers compare them, coverage, follow-up names."""

import pytest

from service.domain.reading.article import build_article
from service.domain.reading.retrieval import search
from service.domain.words import reader_words

ARTICLE = build_article(
    "Harmon will lose its largest employer, the city said on Wednesday. "
    '"Everyone in freight is cutting back," said D. L. Marsh, a transportation analyst at Carrow '
    "& Finch Securities. "
    "The warehouse opened in 2014 and employs 340 people. "
    "Workers bought the company's shares when it listed."
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Lang's lawyer", ["lang", "lawyer"]),
        ("the theater’s organ", ["theater", "organ"]),
        ("She bought a house", ["buy", "hous"]),
        ("They met at a dance and won", ["meet", "danc", "win"]),
        ("a mayor-elect", ["mayor", "elect"]),
        ("It was sold, said the owner", ["sell", "owner"]),
    ],
    ids=[
        "possessive",
        "curly-possessive",
        "irregular-past",
        "irregular-pasts",
        "hyphen",
        "stopwords-dropped",
    ],
)
def test_reader_words(text, words):
    assert reader_words(text) == words


def test_an_irregular_verb_finds_its_base_form():
    hits = search(ARTICLE, "Did workers buy shares?")
    assert hits[0].sentence.text.startswith("Workers bought") and hits[0].coverage == 1.0


def test_a_word_the_article_never_uses_weighs_like_a_common_word():
    """The reader's own word ("staff") is most often a paraphrase: it lowers coverage (weighed
    like the rarest word it would leave 2/3), but less than a word the article uses would."""
    hits = search(ARTICLE, "When did the warehouse open to its staff?")
    assert hits[0].sentence.text.startswith("The warehouse opened") and 0.75 < hits[0].coverage < 1


def test_a_follow_up_counts_the_names_of_the_earlier_turns():
    context = "Which analyst commented on the cuts? D. L. Marsh"
    alone = search(ARTICLE, "Which firm is she with?")
    followed = search(ARTICLE, "Which firm is she with?", context)
    assert alone == [] or alone[0].coverage == 0.0
    assert "Carrow" in followed[0].sentence.text and followed[0].coverage > 0.5


def test_building_an_index_logs_nothing_below_warning(caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        search(build_article("The dam opened on Monday. It cost $3 million."), "What did it cost?")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("bm25s")] == []
