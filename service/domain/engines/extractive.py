"""The embedded extractive engine: no network, no weights.

A summary is a choice of article sentences. News puts its key facts first, and centrality alone
(TextRank, LexRank) falls well short of Lead-3 on news, so each sentence's score mixes a lead
prior with its centrality; near-duplicates are skipped (maximal marginal relevance) and the
chosen sentences keep their article order.

Centrality is LexRank's continuous degree (Erkan and Radev 2004): the sum of a sentence's TF-IDF
cosine similarities to all others, which equals its dot product with the sum of all vectors, so
it costs one pass over the words instead of a sentence-by-sentence matrix.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Mapping
import math
import re

from ..conversation import ChatMessage, is_follow_up, question_of, recent_turns
from ..reading.article import Article, Sentence
from ..reading.retrieval import Hit, query_words, search
from ..verification.answer_types import expected_type, gives
from ..words import content_stems, reader_words
from .base import AnswerDraft, Draft, DraftClaim, SummaryOptions

Vector = dict[str, float]

# Weights found on the project's own golden articles (bench/summary_rouge.py prints the effect).
LEAD_WEIGHT = 0.5
LEAD_DECAY = 3.0  # the prior halves roughly every two sentences
REDUNDANCY = 0.6  # cosine above which a sentence repeats one already chosen
MIN_WORDS = 6
# An answer sentence must hold this share of the question's content words (IDF-weighted), or
# the engine abstains; calibrated on the golden questions by bench/abstention.py.
ANSWER_THRESHOLD = 0.25
# ... and this share of what the sentence most about the question holds: when that sentence
# lacks the expected answer type, a weaker one that happens to hold a number or a name is
# usually a near miss, not the answer.
RELATIVE_COVERAGE = 0.7
# A sentence holding a question word that the sentence most about the question lacks speaks to
# another part of the question ("earn" where the lead only names the company), not a weaker
# take on the same part: it needs only this share.
COMPLEMENT_COVERAGE = 0.6
# A second sentence joins the answer when it covers the question almost as well as the first.
SECOND_SENTENCE = 0.9
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
_LIST_ITEM = re.compile(r"[-•*]\s")


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
    article: Article, messages: list[ChatMessage], threshold: float = ANSWER_THRESHOLD
) -> list[Hit]:
    """The best-supported sentences for the question, or none when none covers it enough.

    An answer sentence gives the answer type the question expects (answer_types.gives) and
    covers at least `threshold` of the question, and RELATIVE_COVERAGE of what the sentence
    most about it covers (COMPLEMENT_COVERAGE when it holds a question word that sentence
    lacks). A follow-up is searched together with the recent turns (assistant
    turns only steer the search: what is cited is always an article sentence).
    """
    question = question_of(messages)
    context = " ".join(m.content for m in recent_turns(messages)) if is_follow_up(messages) else ""
    kind = expected_type(question)
    found = [
        h
        for h in search(article, question, context, limit=len(article.sentences))
        if _can_answer(h.sentence.text)
    ]
    if not found:
        return []
    top = max(found, key=lambda h: h.coverage)
    missing = set(query_words(question)) - set(reader_words(top.sentence.text))

    def covers_enough(hit: Hit) -> bool:
        share = (
            COMPLEMENT_COVERAGE
            if missing & set(reader_words(hit.sentence.text))
            else RELATIVE_COVERAGE
        )
        return hit.coverage >= max(threshold, share * top.coverage)

    hits = [h for h in found if covers_enough(h) and gives(h.sentence.text, kind, question)]
    if not hits:
        return []
    return [hits[0]] + [h for h in hits[1:2] if h.coverage >= SECOND_SENTENCE * hits[0].coverage]


def _can_answer(text: str) -> bool:
    """A sentence or a list item; not a heading or a byline (no final stop)."""
    return bool(_ENDS_SENTENCE.search(text) or _LIST_ITEM.match(text))


def choose_sentences(article: Article, count: int) -> list[Sentence]:
    """The `count` best summary sentences of the article, in article order."""
    candidates = summary_candidates(article)
    vectors = tfidf_vectors([s.text for s in candidates])
    central = centrality(vectors)
    scores = [
        LEAD_WEIGHT * math.exp(-i / LEAD_DECAY) + (1 - LEAD_WEIGHT) * c
        for i, c in enumerate(central)
    ]
    chosen = select_diverse(scores, vectors, count)
    return [candidates[i] for i in sorted(chosen)]


def summary_candidates(article: Article) -> list[Sentence]:
    """Body sentences: citable, no headings or bylines (no final stop), no fragments."""
    body = [s for s in article.sentences if s.citable and _ENDS_SENTENCE.search(s.text)]
    full = [s for s in body if len(s.text.split()) >= MIN_WORDS]
    return full or body or [s for s in article.sentences if s.citable]


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


def select_diverse(scores: list[float], vectors: list[Vector], count: int) -> list[int]:
    """Best-scoring first, skipping any sentence too similar to one already chosen."""
    chosen: list[int] = []
    for i in sorted(range(len(scores)), key=lambda i: -scores[i]):
        if len(chosen) == count:
            break
        if all(cosine(vectors[i], vectors[j]) < REDUNDANCY for j in chosen):
            chosen.append(i)
    return chosen
