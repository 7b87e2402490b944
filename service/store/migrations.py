"""The schema, as numbered migrations applied in order at start, once each.

Each migration holds its SQL for both databases, so the two schemas move together. SQLite keeps
the number it reached in `PRAGMA user_version`, PostgreSQL in the table `schema_migrations`
(applied under an advisory lock, so replicas starting together migrate once). Add a migration
at the end; never edit one that has shipped.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sqlite: str
    postgresql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles and the result cache",
        sqlite="""
            CREATE TABLE IF NOT EXISTS articles (
                id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS results (
                key TEXT PRIMARY KEY, article_id TEXT NOT NULL, body TEXT NOT NULL,
                created_at REAL NOT NULL);
            CREATE INDEX IF NOT EXISTS results_by_article ON results (article_id);
        """,
        # A result references its article: deleting the article deletes its results, and a
        # result finished after its article was deleted cannot be stored.
        postgresql="""
            CREATE TABLE articles (
                id TEXT PRIMARY KEY, body TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE TABLE results (
                key TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            CREATE INDEX results_by_article ON results (article_id);
        """,
    ),
    Migration(
        2,
        "what a list of articles shows, beside each article",
        # Rows stored before this migration have NULLs here: the store fills them in from the
        # article's body when it lists them.
        sqlite="""
            ALTER TABLE articles ADD COLUMN title TEXT;
            ALTER TABLE articles ADD COLUMN preview TEXT;
            CREATE INDEX articles_by_time ON articles (created_at DESC, id);
        """,
        postgresql="""
            ALTER TABLE articles ADD COLUMN title TEXT, ADD COLUMN preview TEXT;
            CREATE INDEX articles_by_time ON articles (created_at DESC, id);
        """,
    ),
)

LATEST = MIGRATIONS[-1].version
