"""The store's protocol: articles under their content address, and the result cache beside them.

Two implementations keep the same semantics (tests/test_store.py runs one suite on both):
SQLite (`sqlite.py`, one process, the default) and PostgreSQL (`postgres.py`, shared by
replicas). A content id names the same article everywhere; a re-post replaces its body; a
result is kept only while its article is, and a delete takes the article's results with it.
"""

from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, Field

from ..domain.reading.article import Article


class ArticleListing(BaseModel):
    """One stored article, as a list shows it."""

    id: str
    title: str | None
    preview: str = Field(description="Its first sentence of some length, cut to 120 characters.")
    created_at: datetime = Field(description="When it was first stored (UTC).")


class ArticleList(BaseModel):
    articles: list[ArticleListing] = Field(description="Newest first.")
    next_offset: int | None = Field(
        description="The `offset` of the next page; null on the last one."
    )


class Store(Protocol):
    kind: str  # "sqlite" or "postgresql", as /readyz reports it

    async def open(self) -> None:
        """Connects and brings the schema to the newest migration."""

    async def close(self) -> None: ...
    async def ping(self) -> bool: ...
    async def put_article(self, article: Article) -> None: ...
    async def get_article(self, article_id: str) -> Article | None: ...
    async def list_articles(self, limit: int, offset: int) -> list[ArticleListing]:
        """Newest first."""

    async def delete_article(self, article_id: str) -> bool: ...
    async def get_result(self, key: str) -> dict[str, Any] | None: ...
    async def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None: ...


def listing(
    article_id: str, title: str | None, preview: str | None, created: datetime, body: str | None
) -> ArticleListing:
    """A row of either store; one stored before the list existed (no preview yet) is read from
    its body."""
    if preview is None and body is not None:
        article = Article.model_validate_json(body)
        title, preview = article.title, article.preview()
    return ArticleListing(id=article_id, title=title, preview=preview or "", created_at=created)
