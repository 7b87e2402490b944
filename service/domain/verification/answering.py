"""Does an article sentence answer the question? A learned probability over lexical signals.

A chat answer is only as good as the sentence it comes from. SQuAD 2.0's unanswerable questions
were written to look answerable: a swapped name or number, an inserted negation, an opposite,
a word the paragraph never uses. So the signals are those edits, beside how well the sentence
covers the question (retrieval) and whether it holds an answer of the expected type with the
question's focus (answer_types).

The weights ship in answering.json beside this module; bench/fit_answering.py refits them,
deterministically, on SQuAD 2.0 dev questions (../shared/dev/qa.jsonl), and chose `threshold`
on predictions cross-validated by paragraph. The extractive engine answers with a sentence only
above it. Every engine's answer must also pass answers_question (a cited sentence about the
question, an answer of the expected type) before chat calls it verified (pipeline/chat.py).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
import re

from ..reading.article import Article
from ..reading.retrieval import Hit, query_words, search, word_weights
from ..reading.segment import ends_sentence
from ..words import reader_words
from .answer_types import ANY, expected_type, gives
from .antonyms import opposites
from .logistic import Logistic, logistic_fields, read_model

MODEL_FILE = "answering.json"
# The share of the question's words (IDF-weighted, retrieval's coverage) that a sentence must
# hold to be about the question at all: the old extractive threshold, which answered 0.85 of
# the project's own answerable questions.
RELATED = 0.25
_NEGATION = re.compile(r"\b(?:not|never|no|none|without|cannot|neither|nor)\b|n['’]t\b", re.I)
_SUPERLATIVE = re.compile(r"\b(?:\w+est|most|least|first|last|only)\b", re.I)
_CAPITALIZED = re.compile(r"(?<!^)\b[A-Z][\w'’-]+")
_DIGITS = re.compile(r"\d+")
_YES_NO = re.compile(
    r"^(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b", re.I
)
_WORD = re.compile(r"[\w'’-]+")
_OTHER = re.compile(r"\b(?:also|else|other|besides|except)\b", re.I)
_LIST_ITEM = re.compile(r"[-•*]\s")


@dataclass(frozen=True)
class Scored:
    hit: Hit
    probability: float


@dataclass(frozen=True)
class _Question:
    """What every candidate sentence is compared with: computed once per question."""

    text: str
    kind: str
    words: frozenset[str]  # the question's own content stems
    hits: tuple[Hit, ...]  # sentences sharing a word with it, best BM25 first
    typed: tuple[Hit, ...]  # those holding an answer of the expected type
    article_words: frozenset[str]
    weights: Mapping[str, float]
    unseen_weight: float


def best_answer(article: Article, question: str, context: str = "") -> Scored | None:
    """The sentence most likely to answer, with the probability that it answers."""
    found = candidate(article, question, context)
    if found is None:
        return None
    return Scored(found[0], _probability(question, found[1]))


def candidate(
    article: Article, question: str, context: str = ""
) -> tuple[Hit, dict[str, float]] | None:
    """The best BM25 sentence of the expected type (the best one when none is) and
    its features; None when no sentence shares a word with the question."""
    q = _question(article, question, context)
    if not q.hits:
        return None
    best = (q.typed or q.hits)[0]  # best BM25 first
    return best, _features(q, best)


def answers_question(
    article: Article, question: str, context: str, texts: list[str], sentence_ids: Iterable[int]
) -> bool:
    """Whether an answer (its claims' `texts`, citing `sentence_ids`) answers the question: a
    cited sentence is about it (holds RELATED of its words, and one of its words that are not
    names when it has any) and the answer holds what the question asks for
    (answer_types.gives: the expected type, the focus named). Any engine's answer, not only the
    extractive one's, must pass this before chat calls it verified."""
    if not query_words(question):
        return True  # "And then?": the context found the sentences; nothing of it to miss
    cited = set(sentence_ids)
    related = [
        h.sentence.text
        for h in _hits(article, question, context)
        if h.sentence.id in cited and h.coverage >= RELATED
    ]
    asked = _asked_about(question)
    on_point = [t for t in related if not asked or asked & set(reader_words(t))]
    kind = expected_type(question)
    return bool(on_point) and any(gives(text, kind, question) for text in texts + on_point)


def _asked_about(question: str) -> set[str]:
    """The question's words that are not names: what it asks about them ("won", "election" in
    "Who won the election in South Korea?"). A sentence holding only the names is on the topic,
    not on the point."""
    return set(query_words(" ".join(w for w in _WORD.findall(question) if not w[0].isupper())))


def _probability(question: str, features: dict[str, float]) -> float:
    # A follow-up with no words of its own ("And then?") asks for more of what came before:
    # there is nothing of it for a sentence to miss, and the context found the sentence.
    if not query_words(question):
        return 1.0
    return answering_model().probability(features)


def can_answer(text: str) -> bool:
    """A sentence or a list item; not a heading or a byline (no final stop)."""
    return ends_sentence(text) or bool(_LIST_ITEM.match(text))


def _hits(article: Article, question: str, context: str) -> tuple[Hit, ...]:
    """The sentences sharing a word with the question, best BM25 first; no headings."""
    found = search(article, question, context, limit=len(article.sentences))
    return tuple(h for h in found if can_answer(h.sentence.text))


def _question(article: Article, question: str, context: str) -> _Question:
    kind = expected_type(question)
    hits = _hits(article, question, context)
    weights, words, unseen = word_weights(article)
    return _Question(
        text=question,
        kind=kind,
        words=frozenset(query_words(question)),
        hits=hits,
        typed=tuple(h for h in hits if gives(h.sentence.text, kind, question)),
        article_words=words,
        weights=weights,
        unseen_weight=unseen,
    )


def _features(q: _Question, hit: Hit) -> dict[str, float]:
    sentence = hit.sentence.text
    words = reader_words(sentence)
    held = set(words)
    asked = q.words
    n = max(len(asked), 1)
    missing = asked - held
    unseen = asked - q.article_words
    total = sum(q.weights.get(w, q.unseen_weight) for w in asked) or 1.0
    negated_question = bool(_NEGATION.search(q.text))
    negated_sentence = bool(_NEGATION.search(sentence))
    superlatives = {m.lower() for m in _SUPERLATIVE.findall(q.text)}
    own_pairs = set(zip(query_words(q.text), query_words(q.text)[1:], strict=False))
    pairs = set(zip(words, words[1:], strict=False))
    top = max(h.coverage for h in q.hits)
    others = [h.coverage for h in q.typed if h.sentence.id != hit.sentence.id]
    return {
        "coverage": hit.coverage,
        "top_coverage": top,
        "relative_coverage": hit.coverage / max(top, 1e-6),
        "relative_bm25": hit.bm25 / max(h.bm25 for h in q.hits),
        "typed": float(any(h.sentence.id == hit.sentence.id for h in q.typed)),
        "any_type": float(q.kind == ANY),
        "question_words": float(len(asked)),
        "missing": len(missing) / n,
        "unseen": len(unseen) / n,
        "any_unseen": float(bool(unseen)),
        "missing_seen_weight": sum(q.weights[w] for w in missing - unseen) / total,
        "new_name": float(_new_in_article(_CAPITALIZED.findall(q.text), q.article_words)),
        "new_number": float(_new_in_article(_DIGITS.findall(q.text), q.article_words)),
        "negated_question": float(negated_question),
        "negated_sentence": float(negated_sentence),
        "negation_only_in_question": float(negated_question and not negated_sentence),
        "pairs": len(own_pairs & pairs) / len(own_pairs) if own_pairs else 0.0,
        "opposite": float(any(opposites(w) & held and w not in held for w in asked)),
        "opposite_in_article": float(
            any(opposites(w) & q.article_words and w not in q.article_words for w in asked)
        ),
        "superlative": float(bool(superlatives)),
        "superlative_missing": float(any(s not in sentence.lower() for s in superlatives)),
        "yes_no": float(bool(_YES_NO.search(q.text))),
        "margin": hit.coverage - max(others, default=0.0),
        "best_bm25": float(hit.sentence.id == q.hits[0].sentence.id),
        "other": float(bool(_OTHER.search(q.text))),
    }


def _new_in_article(tokens: list[str], article_words: frozenset[str]) -> bool:
    """A name or number of the question that no article word matches."""
    return any(not set(reader_words(t)) <= article_words for t in tokens if reader_words(t))


@dataclass(frozen=True)
class AnsweringModel(Logistic):
    threshold: float  # answer at or above it


@lru_cache(maxsize=1)
def answering_model() -> AnsweringModel:
    data = read_model(__package__, MODEL_FILE)
    return AnsweringModel(**logistic_fields(data), threshold=data["threshold"])
