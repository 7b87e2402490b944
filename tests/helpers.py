"""Helpers shared by test modules, which import them from here and never from one another."""

from collections.abc import Iterator
from contextlib import contextmanager
import os
from pathlib import Path
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit
import uuid

import httpx
import psycopg

from service.domain.pipeline.chat import NOT_IN_ARTICLE

FIXTURES = Path(__file__).parent / "fixtures"
PROBLEM = "application/problem+json"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def assert_problem(response, status):
    """A problem details response (RFC 9457) with this status, and no traceback in it."""
    assert response.status_code == status
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    assert "Traceback" not in response.text


def assert_invariants(client, result):
    """A chat answer whose claims are spans of it and whose citations quote the stored article."""
    article = client.get(f"/v1/articles/{result['article_id']}").json()
    for claim in result["claims"]:
        assert result["answer"][claim["start"] : claim["end"]] == claim["text"]
        for citation in claim["citations"]:
            assert article["text"][citation["start"] : citation["end"]] == citation["quote"]
    if not result["answerable"]:
        assert result["claims"] == [] and result["answer"].startswith(NOT_IN_ARTICLE)


def without_cached_flag(response: dict) -> dict:
    return response | {"usage": response["usage"] | {"cached": None}}


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    """Until a `footnoted serve` process answers /healthz; it must not exit meanwhile."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited early"
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


@contextmanager
def running_server(
    log: Path, env: dict[str, str], start_budget_s: float = 20.0
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python -m service serve` on a free loopback port, with `env` over this one's, ready
    (/readyz answers 200) when yielded; always killed on the way out."""
    port = free_port()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=os.environ | {"FOOTNOTED_LOG_LEVEL": "WARNING"} | env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_budget_s
        while True:
            assert process.poll() is None, f"the server exited early:\n{tail(log)}"
            assert time.monotonic() < deadline, f"the server did not come up:\n{tail(log)}"
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


SERVICES = REPO / ".ci" / "services"


def services(action: str, which: str = "all", **env: str) -> dict[str, str]:
    """`.ci/services ACTION [WHICH]` (PostgreSQL and Redis on loopback, installed when missing);
    for `start`, the URLs it prints: {"FOOTNOTED_DB": ..., "FOOTNOTED_REDIS_URL": ...}."""
    done = subprocess.run(
        [str(SERVICES), action, which],
        capture_output=True,
        text=True,
        env=os.environ | env,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    exports = [line.removeprefix("export ") for line in done.stdout.splitlines()]
    return dict(line.split("=", 1) for line in exports if "=" in line)


PARAGRAPH = (
    "The harbor commission met on {day} to review ferry schedules for writer {writer}. "
    "Its report number {n} counted {n} crossings and {count} passengers in the month. "
)


class Writers:
    """Threads posting distinct articles until told to stop or the server is gone."""

    def __init__(self, url: str, count: int, headers: dict[str, str] | None = None) -> None:
        self.url, self.headers = url, headers or {}
        self.acknowledged: dict[str, str] = {}  # article id -> the text the server returned
        self.in_flight = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, args=(w,), daemon=True) for w in range(count)
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
        with httpx.Client(timeout=5, headers=self.headers) as client:
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


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A PostgreSQL database of its own on the server at `server_url`, dropped on the way out."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
