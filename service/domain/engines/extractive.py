"""The embedded extractive engine: no network, no weights.

A summary is a choice of article sentences: the lead of the body, that is its first sentences
once furniture, headlines, bylines, datelines and fragments are set aside. News puts its key facts
first; on real CNN/DailyMail and BBC articles (bench/real_data.py) every mix of a lead prior with
centrality (TextRank, LexRank) that we measured scored below the plain lead, and a scorer fitted
over position, length, centrality and style beat it on no subset without losing on another.
One exception carries over: in a long article, a sentence that shares almost no words with the
rest (an anecdote, a teaser question, a photo caption) is an aside, and goes after the others.
Near-duplicates are skipped and the chosen sentences keep their article order.

Centrality is LexRank's continuous degree (Erkan and Radev 2004): the sum of a sentence's TF-IDF
cosine similarities to all others, which equals its dot product with the sum of all vectors, so
it costs one pass over the words instead of a sentence-by-sentence matrix.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping
import math
import re

from ..conversation import ChatMessage, question_of, search_context
from ..reading.article import Article, Sentence
from ..reading.retrieval import Hit, search
from ..verification.answer_types import expected_type, gives
from ..verification.answering import answering_model, best_answer, can_answer
from ..words import content_stems
from .base import AnswerDraft, Draft, DraftClaim, SummaryOptions

Vector = dict[str, float]

# A sentence whose centrality is below this share of the most central one is an aside ...
PERIPHERAL = 0.25
# ... judged only among this many candidates: over a short story centrality is noise (a BBC
# brief's best sentence often shares no word with the rest). Both were chosen on
# ../shared/dev by cross-validation (bench/real_data.py prints the held-out figures).
CENTRAL_MIN_SENTENCES = 12
REDUNDANCY = 0.6  # cosine above which a sentence repeats one already chosen
# Words holding a letter, or amounts: fewer is a fragment or a dateline ("19:44 EST, 10 October
# 2012 ." has 3). An amount is a word: "The ferries will cost $18.4 million." is a sentence.
MIN_WORDS = 6
_AMOUNT = re.compile(r"[$€£¥]\d|\d[\d.,]*%")
# A second sentence joins the answer when it covers the question almost as well as the first.
SECOND_SENTENCE = 0.9
# A final stop, then closing quotes or brackets; tokenised news spaces them off ("times. '").
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]`\s]*$")


class ExtractiveEngine:
    name = "extractive"
    model = "footnoted-extractive"
    prompt_version = "extractive-1"

    async def summarize(self, article: Article, options: SummaryOptions) -> Draft:
        # In a worker thread: a long article's ranking would hold up the event loop.
        chosen = await asyncio.to_thread(choose_sentences, article, options.sentences)
        return Draft(claims=[DraftClaim(text=s.text, sentence_ids=[s.id]) for s in chosen])

    async def answer_stream(
        self, article: Article, messages: list[ChatMessage]
    ) -> AsyncIterator[str | AnswerDraft]:
        draft = await asyncio.to_thread(answer_from_sentences, article, messages)
        for index, claim in enumerate(draft.claims):
            yield (" " if index else "") + claim.text
        yield draft

    async def repair(
        self, article: Article, draft: Draft, problems: list[str], options: SummaryOptions
    ) -> Draft | None:
        return None  # its claims are article sentences, cited verbatim


def answer_from_sentences(article: Article, messages: list[ChatMessage]) -> AnswerDraft:
    hits = answer_hits(article, messages)
    if not hits:
        return AnswerDraft(
            claims=[],
            answerable=False,
            explanation="No sentence of the article answers this question.",
        )
    return AnswerDraft(
        claims=[
            DraftClaim(text=h.sentence.text, sentence_ids=[h.sentence.id])
            for h in sorted(hits, key=lambda h: h.sentence.id)
        ]
    )


def answer_hits(
    article: Article, messages: list[ChatMessage], threshold: float | None = None
) -> list[Hit]:
    """The sentences that answer the question, or none (the engine abstains).

    The answer is the sentence answering.best_answer picks, when the learned answer model gives
    it at least its threshold (or `threshold`, for benchmarks); a second sentence of the expected
    type joins it when it covers the question almost as well. A follow-up is searched together
    with the recent turns (assistant turns only steer the search: what is cited is always an
    article sentence).
    """
    question = question_of(messages)
    context = search_context(messages)
    best = best_answer(article, question, context)
    if threshold is None:
        threshold = answering_model().threshold
    if best is None or best.probability < threshold:
        return []
    kind = expected_type(question)
    second = [
        h
        for h in search(article, question, context, limit=3)
        if h.sentence.id != best.hit.sentence.id
        and can_answer(h.sentence.text)
        and h.coverage >= SECOND_SENTENCE * best.hit.coverage
        and gives(h.sentence.text, kind, question)
    ]
    return [best.hit] + second[:1]


def choose_sentences(
    article: Article,
    count: int,
    *,
    peripheral: float = PERIPHERAL,
    min_sentences: int = CENTRAL_MIN_SENTENCES,
) -> list[Sentence]:
    """The `count` best summary sentences of the article, in article order.

    The body's lead, asides last (the module docstring says why); the keywords exist so that
    bench/real_data.py can choose them by cross-validation.
    """
    candidates = summary_candidates(article)
    vectors = tfidf_vectors([s.text for s in candidates])
    judged = len(candidates) >= min_sentences
    central = centrality(vectors) if judged else [1.0] * len(candidates)
    order = sorted(range(len(candidates)), key=lambda i: (central[i] < peripheral, i))
    chosen = select_diverse(order, vectors, count)
    return [candidates[i] for i in sorted(chosen)]


def summary_candidates(article: Article) -> list[Sentence]:
    """Body sentences: citable, no headings or bylines (no final stop), no fragments."""
    body = [s for s in article.sentences if s.citable and _ENDS_SENTENCE.search(s.text)]
    full = [s for s in body if _letter_words(s.text) >= MIN_WORDS]
    return full or body or [s for s in article.sentences if s.citable]


def _letter_words(text: str) -> int:
    return sum(any(c.isalpha() for c in word) or bool(_AMOUNT.match(word)) for word in text.split())


def tfidf_vectors(texts: list[str]) -> list[Vector]:
    """L2-normalised TF-IDF vectors over content-word stems (binary term frequency)."""
    bags = [content_stems(t) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    idf = {w: math.log((1 + len(bags)) / (1 + n)) + 1 for w, n in df.items()}
    vectors = []
    for bag in bags:
        norm = math.sqrt(sum(idf[w] ** 2 for w in bag)) or 1.0
        vectors.append({w: idf[w] / norm for w in bag})
    return vectors


def centrality(vectors: list[Vector]) -> list[float]:
    """Continuous degree centrality, scaled to [0, 1]."""
    total: Counter[str] = Counter()
    for vector in vectors:
        total.update(vector)
    degree = [cosine(v, total) - cosine(v, v) for v in vectors]  # minus the self-similarity
    top = max(degree, default=0.0)
    return [d / top if top > 0 else 0.0 for d in degree]


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(weight * large.get(w, 0.0) for w, weight in small.items())


def select_diverse(order: list[int], vectors: list[Vector], count: int) -> list[int]:
    """The first `count` of `order`, skipping any sentence too similar to one already chosen."""
    chosen: list[int] = []
    for i in order:
        if len(chosen) == count:
            break
        if all(cosine(vectors[i], vectors[j]) < REDUNDANCY for j in chosen):
            chosen.append(i)
    return chosen
