"""SQLite storage: articles under their content address, and the result cache beside them."""

import json
from pathlib import Path
import sqlite3
import threading
import time
from typing import Any

from .domain.reading.article import Article

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, article_id TEXT NOT NULL, body TEXT NOT NULL, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS results_by_article ON results (article_id);
"""


class Store:
    """One connection, serialised by a lock: every statement here is short."""

    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def ping(self) -> bool:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute("SELECT 1").fetchone()
            return row == (1,)

    def put_article(self, article: Article) -> None:
        """Stored under its content id; posted again, its body is replaced: the id does not
        cover the url, and what the response says must be what a later GET returns."""
        self._write(
            "INSERT INTO articles VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            (article.id, article.model_dump_json(), time.time()),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self._read("SELECT body FROM articles WHERE id = ?", (article_id,))
        return Article.model_validate_json(row[0]) if row else None

    def delete_article(self, article_id: str) -> bool:
        with self._lock, self._db:  # one transaction: the article and its cached results
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM results WHERE article_id = ?", (article_id,))
            return self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    def get_result(self, key: str) -> dict[str, Any] | None:
        row = self._read("SELECT body FROM results WHERE key = ?", (key,))
        return json.loads(row[0]) if row else None

    def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None:
        """Kept only while its article is: a result finished after the article was deleted
        (a request in flight during the DELETE) would keep the article's text in its quotes."""
        self._write(
            "INSERT OR REPLACE INTO results SELECT ?, ?, ?, ? "
            "WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)",
            (key, article_id, json.dumps(value), time.time(), article_id),
        )

    def _read(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
            return row

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        with self._lock, self._db:
            self._db.execute(sql, params)
