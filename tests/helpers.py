"""Helpers shared by test modules, which import them from here and never from one another."""

from collections.abc import Iterator
from contextlib import contextmanager
import os
from pathlib import Path
import socket
import subprocess
import sys
import time

import httpx

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
                time.sleep(0.05)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
