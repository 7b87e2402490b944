"""Durability: an article acknowledged with 201 survives the server being killed mid-write.

The real server runs as a process of its own (`python -m service serve`, FOOTNOTED_DB in a temp
dir). Writers on loopback post distinct articles concurrently; while requests are in flight the
server gets SIGKILL (no shutdown, no close of the store). Every article whose POST returned 201
before the kill must then be in the SQLite file, read with the project's Store, and served by a
restarted server on the same file; the file must pass PRAGMA integrity_check.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
import sqlite3
import subprocess
import threading
import time

import httpx

from service.store import Store
from tests.helpers import running_server, tail

WRITERS = 8
ACKNOWLEDGED_BEFORE_KILL = 120  # kill once this many 201s are in (or at WRITE_BUDGET_S)
WRITE_BUDGET_S = 6.0
START_BUDGET_S = 20.0
PARAGRAPH = (
    "The harbor commission met on {day} to review ferry schedules for writer {writer}. "
    "Its report number {n} counted {n} crossings and {count} passengers in the month. "
)


@contextmanager
def server(db: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    with running_server(log, {"FOOTNOTED_DB": str(db)}, START_BUDGET_S) as running:
        yield running


class Writers:
    """Threads posting distinct articles until told to stop or the server is gone."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.acknowledged: dict[str, str] = {}  # article id -> the text the server returned
        self.in_flight = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(w,), daemon=True) for w in range(WRITERS)
        ]

    def __enter__(self) -> "Writers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)

    def _write(self, writer: int) -> None:
        with httpx.Client(timeout=5) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                text = "".join(
                    PARAGRAPH.format(day=day, writer=writer, n=n, count=n * 7 + day)
                    for day in range(1, 41)
                )  # about 6 KB, 80 sentences
                with self.lock:
                    self.in_flight += 1
                try:
                    response = client.post(
                        f"{self.url}/v1/articles",
                        json={"text": text, "title": f"Report {writer}-{n}"},
                    )
                except httpx.TransportError:
                    return  # the server is gone: this write was never acknowledged
                finally:
                    with self.lock:
                        self.in_flight -= 1
                if response.status_code != 201:
                    self.errors.append(f"{response.status_code} {response.text[:200]}")
                    return
                body = response.json()
                with self.lock:
                    self.acknowledged[body["id"]] = body["text"]


def test_articles_acknowledged_before_sigkill_survive_it(tmp_path):
    db, log = tmp_path / "footnoted.db", tmp_path / "server.log"
    with server(db, log) as (url, process):
        with Writers(url) as writers:
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

    store = Store(db)
    try:
        for article_id, text in acknowledged.items():
            article = store.get_article(article_id)
            assert article is not None, f"acknowledged article {article_id} was lost"
            assert article.text == text
    finally:
        store.close()

    with server(db, log) as (url, process), httpx.Client(timeout=5) as client:
        for article_id, text in acknowledged.items():
            response = client.get(f"{url}/v1/articles/{article_id}")
            assert response.status_code == 200, (article_id, response.text[:200])
            assert response.json()["text"] == text
