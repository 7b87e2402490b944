"""Durability: an article acknowledged with 201 survives the server being killed mid-write.

The real server runs as a process of its own (`python -m service serve`, FOOTNOTED_DB in a temp
dir). Writers on loopback post distinct articles concurrently; while requests are in flight the
server gets SIGKILL (no shutdown, no close of the store). Every article whose POST returned 201
before the kill must then be in the SQLite file, read with the project's Store, and served by a
restarted server on the same file; the file must pass PRAGMA integrity_check.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
import sqlite3
import subprocess
import time

import httpx

from service.store import SQLiteStore
from tests.helpers import Writers, running_server, tail

WRITERS = 8
ACKNOWLEDGED_BEFORE_KILL = 120  # kill once this many 201s are in (or at WRITE_BUDGET_S)
WRITE_BUDGET_S = 6.0
START_BUDGET_S = 20.0


@contextmanager
def server(db: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    with running_server(log, {"FOOTNOTED_DB": str(db)}, START_BUDGET_S) as running:
        yield running


def test_articles_acknowledged_before_sigkill_survive_it(tmp_path):
    db, log = tmp_path / "footnoted.db", tmp_path / "server.log"
    with server(db, log) as (url, process):
        with Writers(url, WRITERS) as writers:
            deadline = time.monotonic() + WRITE_BUDGET_S
            while (
                len(writers.acknowledged) < ACKNOWLEDGED_BEFORE_KILL
                and time.monotonic() < deadline
                and not writers.errors
            ):
                time.sleep(0.01)
            while writers.in_flight == 0 and time.monotonic() < deadline + 1:
                time.sleep(0.001)  # kill while requests are in flight
            with writers.lock:
                in_flight_at_kill = writers.in_flight
                process.kill()  # SIGKILL: no shutdown, the store is never closed
                # Only what had come back before the kill counts as acknowledged.
                acknowledged = dict(writers.acknowledged)
        assert process.wait(timeout=10) == -9
    assert not writers.errors, writers.errors
    assert in_flight_at_kill > 0
    assert len(acknowledged) >= 20, f"too few writes before the kill:\n{tail(log)}"

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored_rows = raw.execute("SELECT count(*) FROM articles").fetchone()[0]
    raw.close()
    assert stored_rows >= len(acknowledged)

    store = SQLiteStore(db)
    store.open_now()
    try:
        for article_id, text in acknowledged.items():
            article = asyncio.run(store.get_article(article_id))
            assert article is not None, f"acknowledged article {article_id} was lost"
            assert article.text == text
    finally:
        asyncio.run(store.close())

    with server(db, log) as (url, process), httpx.Client(timeout=5) as client:
        for article_id, text in acknowledged.items():
            response = client.get(f"{url}/v1/articles/{article_id}")
            assert response.status_code == 200, (article_id, response.text[:200])
            assert response.json()["text"] == text
