"""The store's contract, one suite run against SQLite and PostgreSQL (a real server on loopback,
a fresh database per test): content ids, re-posts, the result cache, deletes that take the
cached results with them, and migrations that run once."""

import asyncio
import os
import sqlite3

from prometheus_client import REGISTRY
import psycopg
import pytest

from service.domain.reading.article import build_article
from service.store import PostgresStore, SQLiteStore, open_store
from service.store.migrations import LATEST, MIGRATIONS


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "db" / "f.db")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def store(db):
    opened = open_store(db)
    await opened.open()
    yield opened
    await opened.close()


def test_the_url_chooses_the_store():
    assert isinstance(open_store("postgresql://u@h:5432/d"), PostgresStore)
    assert isinstance(open_store("postgres://u@h/d"), PostgresStore)
    assert isinstance(open_store("footnoted.db"), SQLiteStore)
    assert open_store("sqlite:///var/f.db").path == "var/f.db"


async def test_articles_and_results_survive_reopening(db, ferry_text):
    article = build_article(ferry_text)
    first = open_store(db)
    await first.open()
    await first.put_article(article)
    await first.put_result("k1", article.id, {"summary": "x"})
    await first.close()
    reopened = open_store(db)
    await reopened.open()
    try:
        assert await reopened.get_article(article.id) == article
        assert await reopened.get_result("k1") == {"summary": "x"}
    finally:
        await reopened.close()


async def test_a_repost_replaces_the_body_under_the_same_id(store, ferry_text):
    first = build_article(ferry_text, url="https://example.org/a")
    second = build_article(ferry_text, url="https://example.org/b")
    assert first.id == second.id  # the content id does not cover the url
    await store.put_article(first)
    await store.put_article(second)
    assert (await store.get_article(first.id)).url == "https://example.org/b"


async def test_unknown_ids_are_none(store):
    assert await store.get_article("0" * 32) is None
    assert await store.get_result("nothing") is None
    assert await store.delete_article("0" * 32) is False


async def test_a_result_is_replaced_under_its_key(store, ferry_text):
    article = build_article(ferry_text)
    await store.put_article(article)
    await store.put_result("k", article.id, {"n": 1})
    await store.put_result("k", article.id, {"n": 2})
    assert await store.get_result("k") == {"n": 2}


async def test_delete_removes_the_article_and_its_cached_results(store, ferry_text):
    article = build_article(ferry_text)
    other = build_article("A different story about the harbor. It has two sentences.")
    await store.put_article(article)
    await store.put_article(other)
    await store.put_result("k1", article.id, {"a": 1})
    await store.put_result("k2", other.id, {"b": 2})
    assert await store.delete_article(article.id)
    assert await store.get_article(article.id) is None and await store.get_result("k1") is None
    assert await store.get_result("k2") == {"b": 2}  # another article's results stay
    assert not await store.delete_article(article.id)


async def test_a_result_finished_after_its_article_was_deleted_is_not_kept(store, ferry_text):
    article = build_article(ferry_text)
    await store.put_article(article)
    await store.delete_article(article.id)  # while a request about it is still being answered
    await store.put_result("k", article.id, {"quote": article.sentences[3].text})
    assert await store.get_result("k") is None
    await store.put_article(article)
    await store.put_result("k", article.id, {"quote": article.sentences[3].text})
    assert await store.get_result("k") is not None


async def test_concurrent_writes_all_land(store):
    articles = [
        build_article(f"Story number {n} about the ferry vote. It ends.") for n in range(40)
    ]
    await asyncio.gather(*(store.put_article(a) for a in articles))
    found = await asyncio.gather(*(store.get_article(a.id) for a in articles))
    assert found == articles


async def test_ping(store):
    assert await store.ping() is True


async def test_every_store_call_is_timed(store, ferry_text):
    def calls() -> float:
        return REGISTRY.get_sample_value("footnoted_store_seconds_count", {"backend": store.kind})

    before = calls() or 0.0
    article = build_article(ferry_text)
    await store.put_article(article)
    await store.get_article(article.id)
    await store.list_articles(10, 0)
    assert calls() == before + 3


async def test_sqlite_keeps_wal_and_its_schema_version(tmp_path):
    store = SQLiteStore(tmp_path / "f.db")
    await store.open()
    try:
        assert store._read("PRAGMA journal_mode", ()) == ("wal",)
        assert store._read("PRAGMA user_version", ()) == (LATEST,)
    finally:
        await store.close()


async def test_postgresql_migrates_once_even_when_replicas_start_together(postgres_url):
    stores = [PostgresStore(postgres_url) for _ in range(3)]
    await asyncio.gather(*(s.open() for s in stores))
    for s in stores:
        await s.close()
    with psycopg.connect(postgres_url) as db:
        rows = db.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(v,) for v in range(1, LATEST + 1)]


async def test_articles_are_listed_newest_first_a_page_at_a_time(store):
    texts = [
        f"Report {n} on the harbor ferry vote in the town of Alder. It ends." for n in range(5)
    ]
    for text in texts:
        await store.put_article(build_article(text))
        await asyncio.sleep(0.01)  # distinct times
    first = await store.list_articles(limit=2, offset=0)
    rest = await store.list_articles(limit=10, offset=2)
    previews = [a.preview for a in first + rest]
    assert [p.split()[1] for p in previews] == ["4", "3", "2", "1", "0"]
    assert all(a.created_at.tzinfo is not None for a in first)


async def test_a_listing_shows_the_title_and_skips_page_furniture(store):
    article = build_article(
        "Accessibility links\n\nSkip to main content\n\n"
        "The council voted on Tuesday to buy two electric ferries for the harbor. More later.",
        title="Ferries approved",
    )
    await store.put_article(article)
    [listed] = await store.list_articles(limit=5, offset=0)
    assert listed.id == article.id and listed.title == "Ferries approved"
    assert listed.preview.startswith("The council voted on Tuesday")


V1_ARTICLE = build_article("A story stored before the list existed, about the old ferry pier.")


def _at_version_1(db: str) -> None:
    """The store as the first release left it: migration 1 only, one article in it."""
    first = MIGRATIONS[0]
    if db.startswith("postgresql://"):
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(first.postgresql.encode())
            conn.execute(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (1, 'first')")
            conn.execute(
                "INSERT INTO articles (id, body) VALUES (%s, %s)",
                (V1_ARTICLE.id, V1_ARTICLE.model_dump_json()),
            )
        return
    os.makedirs(os.path.dirname(db), exist_ok=True)
    with sqlite3.connect(db) as conn:
        conn.executescript(first.sqlite)
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO articles VALUES (?, ?, ?)",
            (V1_ARTICLE.id, V1_ARTICLE.model_dump_json(), 1.0),
        )
    conn.close()


async def test_a_store_of_the_first_release_is_migrated_and_its_articles_listed(db):
    _at_version_1(db)
    store = open_store(db)
    await store.open()
    try:
        [listed] = await store.list_articles(limit=5, offset=0)
        assert listed.id == V1_ARTICLE.id
        assert listed.preview == V1_ARTICLE.preview()  # read from the body: no column then
        assert await store.get_article(V1_ARTICLE.id) == V1_ARTICLE
    finally:
        await store.close()
