"""Summaries: draft with an engine, ground every claim, repair once, cache the result."""

from ..engines.base import Engine, SummaryOptions
from ..errors import InvalidInput
from ..reading.article import Article
from ..results import Claim, GroundedSummary, validation_for
from .cache import ResultCache, cache_key, through_cache
from .grounding import compose
from .repair import ground_with_repair


async def summarize(
    article: Article, options: SummaryOptions, engine: Engine, cache: ResultCache | None = None
) -> GroundedSummary:
    key = cache_key("summary", article.id, options.model_dump(), engine)
    return await through_cache(
        cache, key, article.id, GroundedSummary, lambda: _summarize(article, options, engine)
    )


async def _summarize(article: Article, options: SummaryOptions, engine: Engine) -> GroundedSummary:
    if not any(s.citable for s in article.sentences):  # an empty summary would say nothing
        raise InvalidInput(
            "the article has no sentence to summarize: every line is page furniture "
            "(navigation, share links, headings) or reads as instructions to an AI"
        )
    draft = await engine.summarize(article, options)
    g = await ground_with_repair(article, draft, engine, options)
    output, claims, removed = g.output, g.claims, 0
    if options.unsupported == "drop":
        output, kept = _without_unsupported(claims, options.style)
        removed, claims = len(claims) - len(kept), kept
    return GroundedSummary(
        article_id=article.id,
        summary=output,
        claims=claims,
        validation=validation_for(claims, g.dropped, g.repaired, removed),
        usage=g.usage,
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
    )


def _without_unsupported(claims: list[Claim], style: str) -> tuple[str, list[Claim]]:
    kept = [c for c in claims if c.verdict == "supported"]
    output, spans = compose([c.text for c in kept], style)
    return output, [
        c.model_copy(update={"start": s, "end": e}) for c, (s, e) in zip(kept, spans, strict=True)
    ]
