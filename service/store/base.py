"""The store's protocol: articles under their content address, and the result cache beside them.

Two implementations keep the same semantics (tests/test_store.py runs one suite on both):
SQLite (`sqlite.py`, one process, the default) and PostgreSQL (`postgres.py`, shared by
replicas). A content id names the same article everywhere; a re-post replaces its body; a
result is kept only while its article is, and a delete takes the article's results with it.
"""

from typing import Any, Protocol

from ..domain.reading.article import Article


class Store(Protocol):
    kind: str  # "sqlite" or "postgresql", as /readyz reports it

    async def open(self) -> None:
        """Connects and brings the schema to the newest migration."""

    async def close(self) -> None: ...
    async def ping(self) -> bool: ...
    async def put_article(self, article: Article) -> None: ...
    async def get_article(self, article_id: str) -> Article | None: ...
    async def delete_article(self, article_id: str) -> bool: ...
    async def get_result(self, key: str) -> dict[str, Any] | None: ...
    async def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None: ...
