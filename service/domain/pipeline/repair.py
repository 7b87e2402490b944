"""Ground a draft, and when claims fail verification, ask the engine once to repair them."""

import asyncio
from dataclasses import dataclass

from ..engines.base import Draft, Engine, SummaryOptions
from ..reading.article import Article
from ..results import Claim, Usage
from .grounding import ground_claims, problems_of


@dataclass
class Grounding:
    output: str
    claims: list[Claim]
    dropped: list[int]
    repaired: bool
    usage: Usage


async def ground_with_repair(
    article: Article, draft: Draft, engine: Engine, options: SummaryOptions
) -> Grounding:
    usage = draft.usage.model_copy()
    # Checking claims is CPU work: in a worker thread, so the event loop serves others meanwhile.
    output, claims, dropped = await asyncio.to_thread(
        ground_claims, article, draft.claims, options.style
    )
    problems = await asyncio.to_thread(problems_of, draft.claims, claims)
    if not problems:
        return Grounding(output, claims, dropped, False, usage)
    fixed = await engine.repair(article, draft, problems, options)
    if fixed is None or not fixed.claims:
        return Grounding(output, claims, dropped, False, usage)
    usage.add(fixed.usage)
    output, claims, more = await asyncio.to_thread(
        ground_claims, article, fixed.claims, options.style
    )
    return Grounding(output, claims, dropped + more, True, usage)
