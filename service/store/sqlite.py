"""SQLite storage, the default: one file, one process.

One connection, serialised by a lock, used from worker threads: a statement is short, but one
that waits for another process's lock on the file (up to 5 s) must not stall the event loop.
WAL with synchronous=NORMAL keeps every committed write across a crash of the process.
"""

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
import json
from pathlib import Path
import sqlite3
import threading
import time
from typing import Any, TypeVar

from ..domain.reading.article import Article
from .base import ArticleListing, listing
from .migrations import MIGRATIONS
from .timing import timed

T = TypeVar("T")


class SQLiteStore:
    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    async def open(self) -> None:
        self.open_now()

    def open_now(self) -> None:
        """Opens the file and migrates it (also for callers without an event loop)."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL
        _migrate(db)
        self._db = db

    async def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    async def ping(self) -> bool:
        return await self._in_thread(self._read, "SELECT 1", ()) == (1,)

    async def put_article(self, article: Article) -> None:
        """Stored under its content id; posted again, its body is replaced: the id does not
        cover the url, and what the response says must be what a later GET returns."""
        await self._in_thread(
            self._write,
            "INSERT INTO articles (id, body, created_at, title, preview) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET "
            "body = excluded.body, title = excluded.title, preview = excluded.preview",
            (article.id, article.model_dump_json(), time.time(), article.title, article.preview()),
        )

    async def get_article(self, article_id: str) -> Article | None:
        row = await self._in_thread(
            self._read, "SELECT body FROM articles WHERE id = ?", (article_id,)
        )
        return Article.model_validate_json(row[0]) if row else None

    async def list_articles(self, limit: int, offset: int) -> list[ArticleListing]:
        rows = await self._in_thread(
            self._read_all,
            "SELECT id, title, preview, created_at, CASE WHEN preview IS NULL THEN body END "
            "FROM articles ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [
            listing(row_id, title, preview, datetime.fromtimestamp(created, UTC), body)
            for row_id, title, preview, created, body in rows
        ]

    async def delete_article(self, article_id: str) -> bool:
        return await self._in_thread(self._delete, article_id)

    def _delete(self, article_id: str) -> bool:
        with self._lock, self._connection() as db:  # one transaction: article and results
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM results WHERE article_id = ?", (article_id,))
            return db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    async def get_result(self, key: str) -> dict[str, Any] | None:
        row = await self._in_thread(self._read, "SELECT body FROM results WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    async def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None:
        """Kept only while its article is: a result finished after the article was deleted
        (a request in flight during the DELETE) would keep the article's text in its quotes."""
        await self._in_thread(
            self._write,
            "INSERT OR REPLACE INTO results SELECT ?, ?, ?, ? "
            "WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
            (key, article_id, json.dumps(value), time.time(), article_id),
        )

    async def _in_thread(self, call: Callable[..., T], *args: Any) -> T:
        started = time.perf_counter()
        try:
            return await asyncio.to_thread(call, *args)
        finally:
            timed(self.kind, time.perf_counter() - started)

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the store is not open")
        return self._db

    def _read(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._connection().execute(sql, params).fetchone()
            return row

    def _read_all(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        with self._lock, self._connection() as db:
            db.execute(sql, params)


def _migrate(db: sqlite3.Connection) -> None:
    """Each migration newer than the file's `user_version`, in one transaction with it."""
    reached = db.execute("PRAGMA user_version").fetchone()[0]
    for migration in MIGRATIONS:
        if migration.version > reached:
            db.execute("BEGIN IMMEDIATE")
            try:
                for statement in migration.sqlite.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {migration.version:d}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
