"""Map-reduce over an article too long for one prompt: it is summarized part by part (map),
then the partial claims are combined in batches that fit, round after round, until one batch is
left (reduce). Each batch goes with the article sentences its claims cite, so the final claims
still cite sentences of the original article."""

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

from ..errors import ModelBadOutput
from ..reading.article import Article, Sentence
from .base import DraftClaim
from .budgets import LINE_OVERHEAD, Budget, citable, pack, pack_lines

T = TypeVar("T")
MAX_COMBINE_ROUNDS = 4
SummarizePart = Callable[[list[Sentence]], Coroutine[Any, Any, list[DraftClaim]]]
CombineBatch = Callable[[list[DraftClaim], list[Sentence]], Coroutine[Any, Any, list[DraftClaim]]]


async def map_reduce(
    article: Article, budget: Budget, summarize_part: SummarizePart, combine_batch: CombineBatch
) -> list[DraftClaim]:
    """One call when the article fits in the "summarize" prompt; else map, then reduce."""
    groups = pack_lines(citable(article), budget.room("summarize"), budget.line_cost)
    if len(groups) == 1:
        return await summarize_part(groups[0])
    parts = await all_of(summarize_part(group) for group in groups)
    return await combine(article, [c for part in parts for c in part], budget, combine_batch)


async def combine(
    article: Article, candidates: list[DraftClaim], budget: Budget, combine_batch: CombineBatch
) -> list[DraftClaim]:
    """Reduce: combine in batches that fit, again and again, until one batch is left."""
    for _ in range(MAX_COMBINE_ROUNDS):
        batches = _batches(article, candidates, budget, budget.room("combine"))
        results = await all_of(
            combine_batch(batch, evidence_of(article, batch)) for batch in batches
        )
        candidates = [claim for result in results for claim in result]
        if len(batches) == 1:
            return candidates
    raise ModelBadOutput("the partial summaries did not shrink enough to combine")


def _batches(
    article: Article, candidates: list[DraftClaim], budget: Budget, room: int
) -> list[list[DraftClaim]]:
    """Candidate claims in batches whose text and evidence each fit in `room` tokens."""

    def cost(claim: DraftClaim) -> int:
        evidence = evidence_of(article, [claim])
        return (
            budget.tokenizer.count(claim.text)
            + LINE_OVERHEAD
            + sum(budget.line_cost(s) for s in evidence)
        )

    return pack(candidates, cost, room)


def evidence_of(article: Article, claims: list[DraftClaim]) -> list[Sentence]:
    """The citable sentences that `claims` cite, once each, in article order."""
    ids = {i for claim in claims for i in claim.sentence_ids}
    return [s for s in citable(article) if s.id in ids]


async def all_of(calls: Iterable[Coroutine[Any, Any, T]]) -> list[T]:
    """Their results in order; the first failure cancels the calls still running (no model
    call goes on after its request has failed) and is raised as itself."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(call) for call in calls]
    except BaseExceptionGroup as failed:
        first = failed.exceptions[0]
        # Raised as itself: it keeps its own cause (a ModelError's SDK error), not the group.
        raise first from first.__cause__
    return [task.result() for task in tasks]
