"""Summaries: draft with an engine, ground every claim, serve repeats from the cache."""

import hashlib
import json
from typing import Protocol

from .article import Article
from .engines.base import Engine, SummaryOptions
from .grounded import GroundedSummary, validation_for
from .grounding import ground_claims


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
    draft = await engine.summarize(article, options)
    output, claims, dropped = ground_claims(article, draft.claims, options.style)
    result = GroundedSummary(article_id=article.id, summary=output, claims=claims,
                             validation=validation_for(claims, dropped), usage=draft.usage,
                             engine=engine.name, model=engine.model,
                             prompt_version=engine.prompt_version)
    if cache is not None:
        cache.put_result(key, article.id, result.model_dump())
    return result


def cache_key(kind: str, article_id: str, options: dict, engine: Engine) -> str:
    """Same article, options, engine, model and prompt version: same key."""
    parts = [kind, article_id, options, engine.name, engine.model, engine.prompt_version]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
