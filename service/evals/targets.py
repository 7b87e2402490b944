"""What an eval runs against: the domain in process (any engine), or a running server."""

from typing import Any, Protocol

import httpx

from ..domain.conversation import ChatMessage
from ..domain.engines.base import Engine, SummaryOptions
from ..domain.pipeline.chat import answer
from ..domain.pipeline.summarize import summarize
from ..domain.reading.article import Article, build_article
from .golden import GoldenArticle


class Target(Protocol):
    async def article(self, golden: GoldenArticle) -> Article: ...
    async def summary(self, article: Article) -> dict[str, Any]: ...
    async def chat(self, article: Article, messages: list[ChatMessage]) -> dict[str, Any]: ...


class EngineTarget:
    """The same pipeline the server runs, without the cache (every case is a fresh call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def article(self, golden: GoldenArticle) -> Article:
        return build_article(golden.text, title=golden.title, fmt=golden.format)

    async def summary(self, article: Article) -> dict[str, Any]:
        result = await summarize(article, SummaryOptions(length="short"), self.engine)
        return result.model_dump()

    async def chat(self, article: Article, messages: list[ChatMessage]) -> dict[str, Any]:
        return (await answer(article, messages, self.engine)).model_dump()


class HttpTarget:
    """A running footnoted: articles are stored, then summarized and asked about by id."""

    def __init__(self, base_url: str, engine: str | None = None, timeout_s: float = 120) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout_s)
        self.choice = {"engine": engine} if engine else {}

    async def article(self, golden: GoldenArticle) -> Article:
        body = {"text": golden.text, "title": golden.title, "format": golden.format}
        return Article.model_validate(await self._post("/v1/articles", body))

    async def summary(self, article: Article) -> dict[str, Any]:
        return await self._post(
            "/v1/summaries", {"article_id": article.id, "length": "short", **self.choice}
        )

    async def chat(self, article: Article, messages: list[ChatMessage]) -> dict[str, Any]:
        body = {"article_id": article.id, "messages": [m.model_dump() for m in messages]}
        return await self._post("/v1/chat", body | self.choice)

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.post(path, json=body)
        response.raise_for_status()
        data: dict[str, Any] = response.json()  # the API's JSON objects
        return data

    async def close(self) -> None:
        await self.http.aclose()
