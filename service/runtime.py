"""What a running footnoted holds: settings, the store and the engines, built once at start.

The HTTP layer and the CLI both go through it, so each request type is one call here.
"""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

from .domain.conversation import ChatMessage
from .domain.engines.base import Engine, SummaryOptions
from .domain.engines.budgets import budget_for
from .domain.engines.extractive import ExtractiveEngine
from .domain.engines.llm import LLMEngine, default_prompts
from .domain.errors import (
    BackendUnavailable,
    EngineUnavailable,
    InvalidInput,
    LimitExceeded,
    NotFound,
)
from .domain.pipeline.chat import Event, GroundedAnswer, answer, answer_events
from .domain.pipeline.summarize import summarize
from .domain.pipeline.verify_text import CheckedText, check_text, check_text_with_judge
from .domain.reading.article import Article, build_article
from .domain.results import GroundedSummary
from .model_client.endpoint_tokens import EndpointTokens, probe
from .model_client.local_model import DEFAULT_CTX as LOCAL_CTX
from .model_client.openai_client import OpenAIModelClient, context_tokens_for
from .settings import Settings
from .store import ArticleList, Store, open_store
from .store.counters import SharedCounters, without_password

MAX_MODELS = 32  # engines kept for distinct model names


@dataclass
class ArticleInput:
    text: str
    title: str | None = None
    url: str | None = None
    format: str = "text"


def check_llm_settings(settings: Settings) -> None:
    """Raises EngineUnavailable when the default model could not be used with these settings
    (answer tokens that leave no room for the article)."""
    if settings.llm_configured:  # the budget alone: no model client is built for a check
        model = settings.llm_model
        context = context_tokens_for(model, settings.llm_context_tokens)
        if settings.llm_gguf:  # the local server is started with this context per request
            model, context = Path(settings.llm_gguf).stem, settings.llm_context_tokens or LOCAL_CTX
        budget_for(
            model,
            output_tokens=settings.llm_output_tokens,
            context_tokens=context,
            prompts=default_prompts(),
        )


@dataclass
class Runtime:
    settings: Settings
    store: Store
    model_client: OpenAIModelClient | None = None
    endpoint_tokens: EndpointTokens | None = None  # the endpoint's own tokenizer, if it has one
    counters: SharedCounters | None = None  # Redis, when replicas share their counters
    extractive: ExtractiveEngine = field(default_factory=ExtractiveEngine)
    _llm_engines: dict[str, LLMEngine] = field(default_factory=dict)

    def engine(self, name: str | None, model: str | None = None) -> Engine:
        name = name or self.settings.default_engine
        if name == "llm":
            return self._llm_engine(model or self.settings.llm_model)
        if model is not None and model != self.extractive.model:
            raise InvalidInput(f"the extractive engine has no model {model!r}")
        return self.extractive

    def _llm_engine(self, model: str) -> LLMEngine:
        if self.model_client is None:
            raise EngineUnavailable(
                "the 'llm' engine is not configured on this server"
                " (set FOOTNOTED_LLM_BASE_URL or FOOTNOTED_LLM_API_KEY)"
            )
        if model not in self._llm_engines:
            if len(self._llm_engines) >= MAX_MODELS:  # model names come from requests: bounded
                self._llm_engines.pop(next(iter(self._llm_engines)))
            exact = self.endpoint_tokens
            # A context set by hand wins; else the endpoint's own word; else the model's known one.
            told = exact.context_tokens if exact else None
            self._llm_engines[model] = LLMEngine(
                self.model_client,
                model,
                output_tokens=self.settings.llm_output_tokens,
                context_tokens=context_tokens_for(model, self.settings.llm_context_tokens or told),
                endpoint=self.settings.llm_base_url or "default",
                counter=exact.counter if exact else None,
            )
        return self._llm_engines[model]

    async def open(self) -> None:
        """Connects to the backends (and migrates the store) before the first request."""
        await self.store.open()

    async def backends(self) -> dict[str, bool]:
        """Each backend this server depends on, and whether it answers now."""
        answers = {f"store ({self.store.kind})": await self.store.ping()}
        if self.counters is not None:
            answers["redis"] = await self.counters.ping()
        if self.model_client is not None:
            answers["model endpoint"] = await self.model_client.ping()
        return answers

    async def add_article(self, given: ArticleInput) -> Article:
        """Built in a worker thread (a long article takes a while, and the event loop keeps
        serving the other requests meanwhile), then stored."""
        article = await asyncio.to_thread(self.build, given)
        await self.store.put_article(article)
        return article

    def build(self, given: ArticleInput) -> Article:
        return build_article(
            given.text,
            title=given.title,
            url=given.url,
            fmt=given.format,
            max_chars=self.settings.max_article_chars,
            max_tokens=self.settings.max_article_tokens,
            chunk_tokens=self.settings.chunk_tokens,
        )

    async def get_article(self, article_id: str) -> Article:
        article = await self.store.get_article(article_id)
        if article is None:
            raise NotFound(f"no article with id {article_id!r}")
        return article

    async def list_articles(self, limit: int, offset: int) -> ArticleList:
        rows = await self.store.list_articles(limit + 1, offset)  # one more: is there a next page
        more = len(rows) > limit
        return ArticleList(articles=rows[:limit], next_offset=offset + limit if more else None)

    async def delete_article(self, article_id: str) -> None:
        if not await self.store.delete_article(article_id):
            raise NotFound(f"no article with id {article_id!r}")

    async def article_for(self, given: ArticleInput | None, article_id: str | None) -> Article:
        if given is not None:
            return await self.add_article(given)
        return await self.get_article(article_id or "")

    async def summarize(
        self,
        article: Article,
        options: SummaryOptions,
        engine: str | None = None,
        model: str | None = None,
    ) -> GroundedSummary:
        limit = self.settings.max_summary_sentences
        if options.sentences > limit:
            raise LimitExceeded(
                "max_summary_sentences",
                limit,
                f"a summary of {options.sentences} sentences was asked for; the limit is {limit}",
            )
        return await summarize(article, options, self.engine(engine, model), cache=self.store)

    async def chat(
        self,
        article: Article,
        messages: list[ChatMessage],
        engine: str | None = None,
        model: str | None = None,
    ) -> GroundedAnswer:
        self._check_messages(messages)
        return await answer(article, messages, self.engine(engine, model), cache=self.store)

    def chat_events(
        self,
        article: Article,
        messages: list[ChatMessage],
        engine: str | None = None,
        model: str | None = None,
    ) -> AsyncIterator[Event]:
        self._check_messages(messages)
        return answer_events(article, messages, self.engine(engine, model), cache=self.store)

    def _check_messages(self, messages: list[ChatMessage]) -> None:
        limit = self.settings.max_messages
        if len(messages) > limit:
            raise LimitExceeded(
                "max_messages",
                limit,
                f"the conversation has {len(messages)} messages; the limit is {limit}",
            )
        longest = max((len(m.content) for m in messages), default=0)
        if longest > self.settings.max_message_chars:
            raise LimitExceeded(
                "max_message_chars",
                self.settings.max_message_chars,
                f"a message has {longest} characters; the limit is "
                f"{self.settings.max_message_chars}",
            )

    async def check(
        self, source: Article, text: str, judge: bool | None = None, model: str | None = None
    ) -> CheckedText:
        limit = self.settings.max_article_chars
        if len(text) > limit:
            raise LimitExceeded(
                "max_article_chars",
                limit,
                f"the text has {len(text)} characters; the limit is {limit}",
            )
        if not (self.settings.verify_judge if judge is None else judge):
            return await asyncio.to_thread(
                check_text, source, text, self.settings.max_verify_claims
            )
        if self.model_client is None:
            raise EngineUnavailable(
                "a model judge needs a model endpoint"
                " (set FOOTNOTED_LLM_BASE_URL or FOOTNOTED_LLM_API_KEY)"
            )
        return await check_text_with_judge(
            source,
            text,
            self.model_client,
            model or self.settings.llm_model,
            self.settings.max_verify_claims,
        )

    async def close(self) -> None:
        if self.model_client is not None:
            await self.model_client.close()
        if self.endpoint_tokens is not None:
            self.endpoint_tokens.counter.close()
        if self.counters is not None:
            await self.counters.close()
        await self.store.close()


async def check_backends(settings: Settings) -> None:
    """Raises BackendUnavailable, naming it, when the store or Redis does not answer: a server
    that could not serve stops at start with one line, not a traceback from its startup."""
    store = open_store(settings.db)
    try:
        await store.open()  # also migrates, once, before the server takes requests
    finally:
        await store.close()
    if settings.redis_url:
        counters = SharedCounters(settings.redis_url)
        try:
            if not await counters.ping():
                raise BackendUnavailable(
                    f"Redis at {without_password(settings.redis_url)} does not answer"
                )
        finally:
            await counters.close()


def build_runtime(settings: Settings, http_client: httpx2.AsyncClient | None = None) -> Runtime:
    """Everything a server needs, built once; the model client only when an endpoint is set.
    A local GGUF must be served first (`local_llm` gives the settings that point at it).
    `await runtime.open()` before the first request."""
    if settings.llm_gguf:
        raise EngineUnavailable("FOOTNOTED_LLM_GGUF is set, but its local server was not started")
    counters = SharedCounters(settings.redis_url) if settings.redis_url else None
    client = None
    if settings.llm_configured:
        shared = (
            counters.breaker(
                settings.llm_base_url or "default",
                settings.llm_breaker_failures,
                settings.llm_breaker_cooldown_s,
                call_s=settings.llm_timeout_s,  # a trial holds the half-open circuit this long
            )
            if counters
            else None
        )
        client = OpenAIModelClient(settings, http_client, breaker=shared)
    exact = None
    if client is not None and settings.llm_base_url and http_client is None:
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        exact = probe(settings.llm_base_url, settings.llm_model, key)
    return Runtime(
        settings=settings,
        store=open_store(settings.db),
        model_client=client,
        endpoint_tokens=exact,
        counters=counters,
    )
