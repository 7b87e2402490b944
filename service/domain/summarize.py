"""Summaries: draft with an engine, ground every claim, repair once, cache the result."""

import hashlib
import json
from typing import Protocol

from .article import Article
from .engines.base import Engine, SummaryOptions
from .grounded import Claim, GroundedSummary, Usage, validation_for
from .grounding import compose, ground_claims, problems_of


class ResultCache(Protocol):
    def get_result(self, key: str) -> dict | None: ...
    def put_result(self, key: str, article_id: str, value: dict) -> None: ...


async def summarize(article: Article, options: SummaryOptions, engine: Engine,
                    cache: ResultCache | None = None) -> GroundedSummary:
    key = cache_key("summary", article.id, options.model_dump(), engine)
    if cache is not None and (hit := cache.get_result(key)) is not None:
        result = GroundedSummary.model_validate(hit)
        result.usage.cached = True
        return result
    result = await _summarize(article, options, engine)
    if cache is not None:
        cache.put_result(key, article.id, result.model_dump())
    return result


async def _summarize(article: Article, options: SummaryOptions, engine: Engine) -> GroundedSummary:
    draft = await engine.summarize(article, options)
    usage = draft.usage.model_copy()
    output, claims, dropped = ground_claims(article, draft.claims, options.style)
    repaired = False
    if problems := problems_of(draft.claims, claims):
        fixed = await engine.repair(article, draft, problems, options)
        if fixed is not None:
            _add_usage(usage, fixed.usage)
            output, claims, more_dropped = ground_claims(article, fixed.claims, options.style)
            dropped, repaired = dropped + more_dropped, True
    removed = 0
    if options.unsupported == "drop":
        output, kept = _without_unsupported(claims, options.style)
        removed, claims = len(claims) - len(kept), kept
    return GroundedSummary(article_id=article.id, summary=output, claims=claims,
                           validation=validation_for(claims, dropped, repaired, removed),
                           usage=usage,
                           engine=engine.name, model=engine.model,
                           prompt_version=engine.prompt_version)


def _without_unsupported(claims: list[Claim], style: str) -> tuple[str, list[Claim]]:
    kept = [c for c in claims if c.verdict == "supported"]
    output, spans = compose([c.text for c in kept], style)
    return output, [c.model_copy(update={"start": s, "end": e}) for c, (s, e) in zip(kept, spans)]


def _add_usage(total: Usage, more: Usage) -> None:
    total.prompt_tokens += more.prompt_tokens
    total.completion_tokens += more.completion_tokens
    total.llm_calls += more.llm_calls


def cache_key(kind: str, article_id: str, options: dict, engine: Engine) -> str:
    """Same article, options, engine, model and prompt version: same key."""
    parts = [kind, article_id, options, engine.name, engine.model, engine.prompt_version]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
