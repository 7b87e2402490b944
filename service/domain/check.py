"""Checking any text against a source: each claim of the text, the source sentences that best
support it (its citations), a support score and a verdict. The same verifier as summaries and
chat use (verify.py): one implementation."""

from pydantic import BaseModel

from .article import Article, Sentence
from .claim_split import split_claims
from .grounded import Citation, Claim, Usage, Validation, validation_for
from .retrieval import search
from .verify import Support, check_support

CANDIDATES = 5  # source sentences retrieved per claim before alignment


class CheckedText(BaseModel):
    source_id: str
    text: str
    claims: list[Claim]
    validation: Validation
    usage: Usage
    engine: str = "offline"


def check_text(source: Article, text: str) -> CheckedText:
    claims = [_check_claim(source, text, start, end) for start, end in split_claims(text)]
    return CheckedText(source_id=source.id, text=text, claims=claims,
                       validation=validation_for(claims, []), usage=Usage())


def _check_claim(source: Article, text: str, start: int, end: int) -> Claim:
    evidence, support = best_evidence(source, text[start:end])
    citations = [Citation(start=s.start, end=s.end, quote=source.text[s.start:s.end],
                          sentence_id=s.id) for s in evidence]
    return Claim(text=text[start:end], start=start, end=end, citations=citations,
                 verdict="supported" if support.supported else "unsupported",
                 support=support.score)


def best_evidence(source: Article, claim: str) -> tuple[list[Sentence], Support]:
    """The sentence, or pair of adjacent sentences, that supports the claim best."""
    best: tuple[list[Sentence], Support] = ([], check_support(claim, []))
    for group in _candidate_groups(source, claim):
        support = check_support(claim, [s.text for s in group])
        if support.score > best[1].score:
            best = (group, support)
    return best


def _candidate_groups(source: Article, claim: str) -> list[list[Sentence]]:
    hits = [h.sentence for h in search(source, claim, limit=CANDIDATES)]
    groups = [[s] for s in hits]
    for sentence in hits:
        for neighbour in (source.sentence(sentence.id - 1), source.sentence(sentence.id + 1)):
            if neighbour is not None and neighbour.citable:
                groups.append(sorted([sentence, neighbour], key=lambda s: s.id))
    return groups
