"""PostgreSQL storage, for replicas that share their articles and results
(`FOOTNOTED_DB=postgresql://...`).

Async and pooled (psycopg 3 and its pool); each statement commits on its own (autocommit), so a
201 is only sent once the article is durable in the database. A connection is checked before it
is lent, so the pool recovers by itself when the database comes back after a restart; while the
database does not answer, every call raises BackendUnavailable (a 503, never a 500). A database
that hangs (accepts, then never answers) is the same: each call has `timeout_s` in all, pool
wait and statements included.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import json
import time
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from ..domain.errors import BackendUnavailable
from ..domain.reading.article import Article
from .base import ArticleListing, listing
from .migrations import MIGRATIONS
from .timing import timed

MIGRATION_LOCK = 0x666F6F74  # pg_advisory_xact_lock key: replicas starting together wait here


class PostgresStore:
    kind = "postgresql"

    def __init__(self, url: str, max_connections: int = 10, timeout_s: float = 5.0) -> None:
        self.url, self.timeout_s = url, timeout_s
        self._pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            open=False,
            timeout=timeout_s,
            check=AsyncConnectionPool.check_connection,
            kwargs={
                "autocommit": True,
                "connect_timeout": max(1, round(timeout_s)),
                # A peer that vanished (no FIN) is noticed in seconds, not the kernel's hours.
                "keepalives": 1,
                "keepalives_idle": 5,
                "keepalives_interval": 2,
                "keepalives_count": 2,
                "tcp_user_timeout": round(timeout_s * 1000),
            },
        )

    async def open(self) -> None:
        try:
            await self._pool.open(wait=True, timeout=self._pool.timeout)
        except PoolTimeout as exc:
            raise BackendUnavailable(f"the database at {_where(self.url)} does not answer") from exc
        async with self._connection() as db, db.transaction():
            await _migrate(db)

    async def close(self) -> None:
        await self._pool.close()

    async def ping(self, timeout_s: float = 2.0) -> bool:
        """Answers within `timeout_s`, whatever the database does (a hung query's cleanup is
        left to finish in the background: /readyz must not hang with it)."""
        check = asyncio.ensure_future(self._select_one())
        done, _ = await asyncio.wait({check}, timeout=timeout_s)
        if not done:
            check.cancel()
            return False
        return not check.cancelled() and check.exception() is None and check.result()

    async def _select_one(self) -> bool:
        async with self._connection() as db:
            row = await (await db.execute("SELECT 1")).fetchone()
            return row == (1,)

    async def put_article(self, article: Article) -> None:
        async with self._connection() as db:
            await db.execute(
                "INSERT INTO articles (id, body, title, preview) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET "
                "body = excluded.body, title = excluded.title, preview = excluded.preview",
                (article.id, article.model_dump_json(), article.title, article.preview()),
            )

    async def get_article(self, article_id: str) -> Article | None:
        async with self._connection() as db:
            cursor = await db.execute("SELECT body FROM articles WHERE id = %s", (article_id,))
            row = await cursor.fetchone()
        return Article.model_validate_json(row[0]) if row else None

    async def list_articles(self, limit: int, offset: int) -> list[ArticleListing]:
        async with self._connection() as db:
            cursor = await db.execute(
                "SELECT id, title, preview, created_at, CASE WHEN preview IS NULL THEN body END "
                "FROM articles ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
                (limit, offset),
            )
            rows = await cursor.fetchall()
        return [listing(*row) for row in rows]

    async def delete_article(self, article_id: str) -> bool:
        # Its results go with it (ON DELETE CASCADE), in the same statement.
        async with self._connection() as db:
            cursor = await db.execute("DELETE FROM articles WHERE id = %s", (article_id,))
            return cursor.rowcount > 0

    async def get_result(self, key: str) -> dict[str, Any] | None:
        async with self._connection() as db:
            cursor = await db.execute("SELECT body FROM results WHERE key = %s", (key,))
            row = await cursor.fetchone()
        return json.loads(row[0]) if row else None

    async def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None:
        """Kept only while its article is: the foreign key refuses a result whose article
        was deleted while it was being made."""
        try:
            async with self._connection() as db:
                await db.execute(
                    "INSERT INTO results (key, article_id, body) VALUES (%s, %s, %s) "
                    "ON CONFLICT (key) DO UPDATE SET body = excluded.body",
                    (key, article_id, json.dumps(value)),
                )
        except psycopg.errors.ForeignKeyViolation:
            pass

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A pooled connection; a database that has gone away is BackendUnavailable."""
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout_s), self._pool.connection() as db:
                yield db
        except (psycopg.OperationalError, PoolTimeout, TimeoutError) as exc:
            raise BackendUnavailable(f"the database at {_where(self.url)} does not answer") from exc
        finally:
            timed(self.kind, time.perf_counter() - started)


async def _migrate(db: psycopg.AsyncConnection[Any]) -> None:
    """Each migration not yet in `schema_migrations`, under an advisory lock, in one
    transaction with its row there."""
    await db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    cursor = await db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    row = await cursor.fetchone()
    reached = row[0] if row else 0
    for migration in MIGRATIONS:
        if migration.version > reached:
            await db.execute(migration.postgresql.encode())
            await db.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )


def _where(url: str) -> str:
    """host:port/database of a URL, without its password."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
