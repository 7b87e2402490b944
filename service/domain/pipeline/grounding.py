"""Grounding: an engine's draft becomes claims with resolved citations and verdicts."""

from ..engines.base import DraftClaim
from ..reading.article import Article
from ..results import Claim
from ..verification.features import article_source
from ..verification.support import check_support
from .citations import resolve_citations

BULLET = "- "


def ground_claims(
    article: Article, draft: list[DraftClaim], style: str = "paragraph"
) -> tuple[str, list[Claim], list[int]]:
    """The output text, its claims (spans in that text, citations, verdicts) and dropped ids."""
    texts = [claim.text.strip() for claim in draft]
    output, spans = compose(texts, style)
    claims: list[Claim] = []
    dropped: list[int] = []
    source = article_source(article)
    for draft_claim, text, (start, end) in zip(draft, texts, spans, strict=True):
        citations, bad_ids = resolve_citations(article, draft_claim.sentence_ids)
        dropped.extend(bad_ids)
        support = check_support(text, [c.quote for c in citations], source)
        claims.append(
            Claim(
                text=text,
                start=start,
                end=end,
                citations=citations,
                verdict=support.verdict,
                support=support.score,
            )
        )
    return output, claims, dropped


def compose(texts: list[str], style: str) -> tuple[str, list[tuple[int, int]]]:
    """Join claim sentences into one text and say where each one stands in it."""
    prefix, separator = (BULLET, "\n") if style == "bullets" else ("", " ")
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for text in texts:
        if parts:
            offset += len(separator)
        offset += len(prefix)
        spans.append((offset, offset + len(text)))
        parts.append(prefix + text)
        offset += len(text)
    return separator.join(parts), spans


def problems_of(draft: list[DraftClaim], claims: list[Claim]) -> list[str]:
    """What verification found wrong with each unsupported claim, said so a model can fix it."""
    problems = []
    for number, (draft_claim, claim) in enumerate(zip(draft, claims, strict=True), start=1):
        if claim.verdict == "supported":
            continue
        cited = {c.sentence_id for c in claim.citations}
        reasons = [
            f"sentence id {i} does not exist or cannot be cited"
            for i in draft_claim.sentence_ids
            if i not in cited
        ]
        if not cited:
            reasons.append("it cites no article sentence")
        else:
            support = check_support(claim.text, [c.quote for c in claim.citations])
            reasons += support.reasons or [
                f"the cited sentences support only {support.score:.0%} of its words"
            ]
        problems.append(f'- Claim {number} "{claim.text}": ' + "; ".join(reasons))
    return problems
