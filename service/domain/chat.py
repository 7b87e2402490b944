"""Chat about one article: grounded answers, or an honest abstention."""

from pydantic import Field

from .article import Article
from .conversation import ChatMessage, question_of
from .engines.base import AnswerDraft, Engine, SummaryOptions
from .grounded import Grounded, Validation, validation_for
from .repair import ground_with_repair
from .cache import ResultCache, cache_key, through_cache

# The one "cannot answer" sentence, shared by the prompts and the response.
NOT_IN_ARTICLE = "The article does not say."


class GroundedAnswer(Grounded):
    answer: str
    answerable: bool = Field(description="False when the article does not contain the answer; "
                             "such answers carry no claims and no citations.")


async def answer(article: Article, messages: list[ChatMessage], engine: Engine,
                 cache: ResultCache | None = None) -> GroundedAnswer:
    question_of(messages)
    key = cache_key("chat", article.id, {"messages": [m.model_dump() for m in messages]}, engine)
    return await through_cache(cache, key, article.id, GroundedAnswer,
                               lambda: _answer(article, messages, engine))


async def _answer(article: Article, messages: list[ChatMessage], engine: Engine) -> GroundedAnswer:
    draft = await engine.answer(article, messages)
    if not draft.answerable or not draft.claims:
        return abstention(article, engine, draft)
    options = SummaryOptions(max_sentences=min(max(len(draft.claims), 1), 50))
    g = await ground_with_repair(article, draft, engine, options)
    return GroundedAnswer(article_id=article.id, answer=g.output, answerable=True, claims=g.claims,
                          validation=validation_for(g.claims, g.dropped, g.repaired), usage=g.usage,
                          engine=engine.name, model=engine.model,
                          prompt_version=engine.prompt_version)


def abstention(article: Article, engine: Engine, draft: AnswerDraft) -> GroundedAnswer:
    """No claims, no citations: nothing is asserted about the article."""
    text = f"{NOT_IN_ARTICLE} {draft.explanation}".strip()
    return GroundedAnswer(article_id=article.id, answer=text, answerable=False, claims=[],
                          validation=Validation(status="verified", claims=0, supported=0,
                                                unsupported=0),
                          usage=draft.usage, engine=engine.name, model=engine.model,
                          prompt_version=engine.prompt_version)
