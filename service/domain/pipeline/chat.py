"""Chat about one article: grounded answers, or an honest abstention, streamed or whole.

One pipeline serves both: `answer_events` yields provisional text deltas, then each claim once
verified, then the whole response; `answer` keeps only the last. So a stream's `done` event and
the plain response are the same JSON.
"""

import asyncio
from collections.abc import AsyncIterator

from pydantic import Field

from ..conversation import ChatMessage, question_of, search_context
from ..engines.base import AnswerDraft, Engine, SummaryOptions
from ..errors import ModelBadOutput
from ..reading.article import Article
from ..results import Claim, Grounded, Validation, validation_for
from ..verification.answering import answers_question
from .cache import ResultCache, cache_key, keep
from .repair import ground_with_repair

# The one "cannot answer" sentence, shared by the prompts and the response.
NOT_IN_ARTICLE = "The article does not say."
NOT_ANSWERED = "The sentences the answer cited do not answer the question."

Event = tuple[str, object]  # ("delta", str) | ("claim", Claim) | ("done", GroundedAnswer)


class GroundedAnswer(Grounded):
    answer: str
    answerable: bool = Field(
        description="False when the article does not contain the answer; "
        "such answers carry no claims and no citations."
    )
    explanation: str | None = Field(
        None,
        description="With `answerable: false`, why (the "
        "engine's words, not checked against the article).",
    )


async def answer(
    article: Article, messages: list[ChatMessage], engine: Engine, cache: ResultCache | None = None
) -> GroundedAnswer:
    async for kind, value in answer_events(article, messages, engine, cache):
        if kind == "done":
            return value  # type: ignore[return-value]
    raise AssertionError("answer_events always ends with done")


async def answer_events(
    article: Article, messages: list[ChatMessage], engine: Engine, cache: ResultCache | None = None
) -> AsyncIterator[Event]:
    question_of(messages)
    key = cache_key("chat", article.id, {"messages": [m.model_dump() for m in messages]}, engine)
    if cache is not None and (hit := await cache.get_result(key)) is not None:
        result = GroundedAnswer.model_validate(hit)
        result.usage.cached = True
    else:
        draft = None
        async for event in engine.answer_stream(article, messages):
            if isinstance(event, AnswerDraft):
                draft = event
            else:
                yield "delta", event
        if draft is None:
            raise ModelBadOutput("the answer ended before it was complete")
        result = await _grounded(article, messages, draft, engine)
        if cache is not None:
            await keep(cache, key, article.id, result.model_dump())
    for claim in result.claims:
        yield "claim", claim
    yield "done", result


async def _grounded(
    article: Article, messages: list[ChatMessage], draft: AnswerDraft, engine: Engine
) -> GroundedAnswer:
    if not draft.answerable or not draft.claims:
        return abstention(article, engine, draft)
    options = SummaryOptions(max_sentences=min(max(len(draft.claims), 1), 50))
    g = await ground_with_repair(article, draft, engine, options)
    if not await asyncio.to_thread(_answers, article, messages, g.claims):
        unanswered = AnswerDraft(
            claims=[],
            answerable=False,
            explanation=f"{NOT_ANSWERED} The draft was: {g.output}",
            usage=g.usage,
        )
        return abstention(article, engine, unanswered)
    return GroundedAnswer(
        article_id=article.id,
        answer=g.output,
        answerable=True,
        claims=g.claims,
        validation=validation_for(g.claims, g.dropped, g.repaired),
        usage=g.usage,
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
    )


def _answers(article: Article, messages: list[ChatMessage], claims: list[Claim]) -> bool:
    """Whether the supported claims answer the question (answering.answers_question):
    citations that hold up but speak of something else answer nothing."""
    supported = [claim for claim in claims if claim.verdict == "supported"]
    if not supported:
        return True  # nothing supported: the status says so (partial or failed)
    return answers_question(
        article,
        question_of(messages),
        search_context(messages),
        [claim.text for claim in supported],
        [c.sentence_id for claim in supported for c in claim.citations],
    )


def abstention(article: Article, engine: Engine, draft: AnswerDraft) -> GroundedAnswer:
    """No claims, no citations, nothing asserted about the article: the answer is the fixed
    sentence, and the engine's own words go apart, as an explanation nobody checked."""
    return GroundedAnswer(
        article_id=article.id,
        answer=NOT_IN_ARTICLE,
        answerable=False,
        explanation=draft.explanation[:500] or None,
        claims=[],
        validation=Validation(status="verified", claims=0, supported=0, unsupported=0),
        usage=draft.usage,
        engine=engine.name,
        model=engine.model,
        prompt_version=engine.prompt_version,
    )
