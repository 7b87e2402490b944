"""The store: SQLite by default, PostgreSQL when FOOTNOTED_DB is a postgresql:// URL."""

from .base import ArticleList, ArticleListing, Store
from .postgres import PostgresStore
from .sqlite import SQLiteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_store(db: str) -> Store:
    """The store FOOTNOTED_DB names (not yet opened: `await store.open()`)."""
    if db.startswith(POSTGRES_SCHEMES):
        return PostgresStore(db)
    return SQLiteStore(db.removeprefix("sqlite:///"))


__all__ = ["ArticleList", "ArticleListing", "PostgresStore", "SQLiteStore", "Store", "open_store"]
