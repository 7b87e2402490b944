"""Checking any text against a source: each claim of the text, the source sentences that best
support it (its citations), a support score and a verdict. The same verifier as summaries and
chat use (verification/support.py): one implementation."""

import asyncio

from pydantic import BaseModel

from ..errors import LimitExceeded
from ..model import ModelClient
from ..reading.article import Article, Sentence
from ..reading.retrieval import search
from ..results import Citation, Claim, Usage, Validation, validation_for
from ..verification.claims import split_claims
from ..verification.features import article_source
from ..verification.judge import judge_claims
from ..verification.support import Support, check_support, coverage

CANDIDATES = 8  # source sentences retrieved per claim before alignment
MAX_EVIDENCE = 3  # sentences cited for one claim at most


class CheckedText(BaseModel):
    source_id: str
    text: str
    claims: list[Claim]
    validation: Validation
    usage: Usage
    engine: str = "offline"
    model: str | None = None


def check_text(source: Article, text: str, max_claims: int = 500) -> CheckedText:
    spans = split_claims(text)
    if len(spans) > max_claims:
        raise LimitExceeded(
            "max_verify_claims",
            max_claims,
            f"the text has {len(spans)} claims; the limit is {max_claims}",
        )
    claims = [_check_claim(source, text, start, end) for start, end in spans]
    return CheckedText(
        source_id=source.id,
        text=text,
        claims=claims,
        validation=validation_for(claims, []),
        usage=Usage(),
    )


async def check_text_with_judge(
    source: Article, text: str, client: ModelClient, model: str, max_claims: int = 500
) -> CheckedText:
    """The offline check, then a model's verdict on each claim against its citations."""
    checked = await asyncio.to_thread(check_text, source, text, max_claims)
    usage = Usage()
    claims = await judge_claims(checked.claims, client, model, usage)
    return checked.model_copy(
        update={
            "claims": claims,
            "usage": usage,
            "engine": "llm-judge",
            "model": model,
            "validation": validation_for(claims, []),
        }
    )


def _check_claim(source: Article, text: str, start: int, end: int) -> Claim:
    evidence, support = best_evidence(source, text[start:end])
    citations = [
        Citation(start=s.start, end=s.end, quote=source.text[s.start : s.end], sentence_id=s.id)
        for s in evidence
    ]
    return Claim(
        text=text[start:end],
        start=start,
        end=end,
        citations=citations,
        verdict=support.verdict,
        support=support.score,
    )


def best_evidence(source: Article, claim: str) -> tuple[list[Sentence], Support]:
    """The few source sentences that together support the claim best.

    Greedy: start from nothing, add the candidate sentence that most improves coverage (fewer of
    the claim's numbers and names missing, then more of its words found), up to MAX_EVIDENCE
    sentences, while it helps. A claim that joins facts from two places in the source needs
    both places. Coverage only: the checks of polarity, certainty and speaker then judge the
    chosen sentences, and cannot be argued away by adding more.
    """
    candidates = _candidates(source, claim)
    chosen: list[Sentence] = []
    best = (1, -1.0)
    while len(chosen) < MAX_EVIDENCE:
        options = [(_rank(claim, chosen + [c]), c) for c in candidates if c not in chosen]
        if not options:
            break
        rank, sentence = max(options, key=lambda o: o[0])
        if chosen and rank <= best:
            break
        chosen, best = chosen + [sentence], rank
    chosen.sort(key=lambda s: s.id)
    return chosen, check_support(claim, [s.text for s in chosen], article_source(source))


def _rank(claim: str, sentences: list[Sentence]) -> tuple[int, float]:
    missing, overlap = coverage(claim, _texts(sentences))
    return -missing, overlap


def _texts(sentences: list[Sentence]) -> list[str]:
    return [s.text for s in sorted(sentences, key=lambda s: s.id)]


def _candidates(source: Article, claim: str) -> list[Sentence]:
    """Retrieved sentences and their neighbours, once each."""
    hits = [h.sentence for h in search(source, claim, limit=CANDIDATES)]
    near = [source.sentence(s.id + step) for s in hits for step in (-1, 1)]
    found: dict[int, Sentence] = {}
    for sentence in hits + [n for n in near if n is not None and n.citable]:
        found.setdefault(sentence.id, sentence)
    return list(found.values())
