"""Retrieval: the article sentences most relevant to a question (BM25, via the bm25s library).

Also an IDF-weighted coverage score, the share of the question's content words that a sentence
holds: unlike a BM25 score it compares across questions, so one threshold can decide abstention.

Words are compared as readers compare them (words.reader_words): "Lang's" is "Lang", "bought"
is "buy".
"""

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
import logging
import math
import re
import threading

import bm25s
import numpy as np

from ..words import reader_words
from .article import Article, Sentence

# bm25s sets its own logger to DEBUG: a line for every index built, whatever the service's level.
logging.getLogger("bm25s").setLevel(logging.WARNING)


QUESTION_STEMS = frozenset(
    reader_words(
        "much many long often happen happened tell know mean meaning kind type sort exactly "
        "according article story report reported"
    )
)
CONTEXT_WEIGHT = 0.3  # the most context can add, as a share of the best own score
_UNSEEN = "\x00unseen"  # the weight of a query word the article never uses
_INDEX_CACHE_SIZE = 64
# Names in earlier turns: what "she" in "Which firm is she with?" stands for.
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?")


@dataclass(frozen=True)
class Hit:
    sentence: Sentence
    bm25: float
    coverage: float


@dataclass(frozen=True)
class _Index:
    sentences: list[Sentence]
    bm25: bm25s.BM25
    idf: dict[str, float]
    stems: list[set[str]]
    words: frozenset[str]  # every stem of the citable sentences


def search(article: Article, question: str, context: str = "", limit: int = 5) -> list[Hit]:
    """The best `limit` citable sentences for `question`, best first (no hit scores zero).

    `context` (earlier turns) only breaks near-ties between sentences that match the question's
    own words, so "What did he warn about?" finds the warning, not the sentence naming "he"; it
    leads the search only when the question has no words of its own ("And then?"). Coverage
    counts the question's own words (the context's when it has none), or with them the names of
    the earlier turns when that covers more ("Which firm is she with?" after "D. L. Marsh").
    """
    index = _index(article)
    own = query_words(question)
    extra = query_words(context)
    if not (own or extra) or not index.sentences:
        return []
    scores = _steered(_scores(index, own), _scores(index, extra))
    ranked = sorted(range(len(index.sentences)), key=lambda i: -scores[i])[:limit]
    covered = set(own or extra)
    queries = [covered, covered | set(reader_words(" ".join(_NAME.findall(context))))]
    return [
        Hit(
            index.sentences[i],
            float(scores[i]),
            max(_coverage(q, index.stems[i], index.idf) for q in queries),
        )
        for i in ranked
        if scores[i] > 0
    ]


def _scores(index: "_Index", words: list[str]) -> np.ndarray:
    scores: np.ndarray = index.bm25.get_scores(words) if words else np.zeros(len(index.sentences))
    return scores


def _steered(own: np.ndarray, context: np.ndarray) -> np.ndarray:
    if own.max() <= 0 or context.max() <= 0:
        return own if own.max() > 0 else context
    steered: np.ndarray = own + CONTEXT_WEIGHT * own.max() * context / context.max()
    return steered


def query_words(text: str) -> list[str]:
    """Content stems of a question, less the words that only make it a question."""
    return [w for w in reader_words(text) if w not in QUESTION_STEMS]


def word_weights(article: Article) -> tuple[Mapping[str, float], frozenset[str], float]:
    """The IDF of the article's words (kept with its index: not to be changed), those words,
    and the weight of a word it never uses."""
    index = _index(article)
    return index.idf, index.words, index.idf[_UNSEEN]


def _coverage(query: set[str], sentence: set[str], idf: dict[str, float]) -> float:
    total = sum(idf.get(w, idf[_UNSEEN]) for w in query)
    return sum(idf[w] for w in query & sentence) / total if total else 0.0


def _index(article: Article) -> _Index:
    """Built once per article and kept for its next questions (a small LRU by article id)."""
    with _INDEXES_LOCK:  # verify runs in worker threads, chat on the event loop
        if (index := _INDEXES.get(article.id)) is not None:
            _INDEXES.move_to_end(article.id)
            return index
    index = _build_index(article)
    with _INDEXES_LOCK:
        _INDEXES[article.id] = index
        if len(_INDEXES) > _INDEX_CACHE_SIZE:
            _INDEXES.popitem(last=False)
    return index


def _build_index(article: Article) -> _Index:
    sentences = [s for s in article.sentences if s.citable]
    tokens = [reader_words(s.text) or ["\x00"] for s in sentences]  # bm25s wants no empty doc
    retriever = bm25s.BM25()
    if sentences:
        retriever.index(tokens, show_progress=False)
    stems = [set(t) for t in tokens]
    n = len(sentences)
    df: dict[str, int] = {}
    for bag in stems:
        for w in bag:
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    # A query word the article never uses is most often the reader's own paraphrase, not the
    # missing fact: it weighs like a common word (weighing it like the rarest one cost more
    # answers than it saved abstentions, bench/abstention.py).
    idf[_UNSEEN] = math.log(2 * (n + 1)) / 4
    return _Index(sentences, retriever, idf, stems, frozenset(df))


_INDEXES: OrderedDict[str, _Index] = OrderedDict()
_INDEXES_LOCK = threading.Lock()
