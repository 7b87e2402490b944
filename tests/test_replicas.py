"""Two `footnoted serve` processes on one PostgreSQL and one Redis (real servers on loopback):
what one replica stores or computes, the other serves; one key's burst is shared; a replica
killed with SIGKILL mid-write loses no acknowledged write while the other keeps serving; the
breaker opened by failures seen on one fails fast on the other; and a database that goes away
is a 503, never a 500, until it is back."""

from collections.abc import Iterator
from contextlib import contextmanager
import os
from pathlib import Path
import shutil
import signal
import subprocess
import tempfile
import time

import httpx
import pytest
import redis

from service.model_client.scripted_server import FakeModelServer
from tests.helpers import (
    Writers,
    assert_problem,
    free_port,
    fresh_database,
    running_server,
    services,
    tail,
)

BURST = 6
KEYS = {"store": "key-store", "cache": "key-cache", "burst": "key-burst"}


def flush(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()


def auth(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def pair(backends, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Replicas A and B: one database, one Redis, API keys with a small burst."""
    folder = tmp_path_factory.mktemp("replicas")
    redis_url = backends["FOOTNOTED_REDIS_URL"].rsplit("/", 1)[0] + "/2"
    with fresh_database(backends["FOOTNOTED_DB"]) as db:
        env = {
            "FOOTNOTED_DB": db,
            "FOOTNOTED_REDIS_URL": redis_url,
            "FOOTNOTED_API_KEYS": ",".join(KEYS.values()),
            "FOOTNOTED_RATE_LIMIT_BURST": str(BURST),
            "FOOTNOTED_RATE_LIMIT_PER_MINUTE": "1",
        }
        flush(redis_url)
        with (
            running_server(folder / "a.log", env) as (a, _),
            running_server(folder / "b.log", env) as (b, _),
        ):
            yield a, b


def test_an_article_stored_through_a_is_served_by_b(pair, ferry_text):
    a, b = pair
    stored = httpx.post(f"{a}/v1/articles", json={"text": ferry_text}, headers=auth(KEYS["store"]))
    assert stored.status_code == 201
    served = httpx.get(f"{b}/v1/articles/{stored.json()['id']}", headers=auth(KEYS["store"]))
    assert served.status_code == 200 and served.json() == stored.json()


def test_a_summary_made_by_a_is_a_cache_hit_on_b(pair, ferry_text):
    a, b = pair
    body = {"article": {"text": ferry_text + "\n\nA line only this test adds."}}
    made = httpx.post(f"{a}/v1/summaries", json=body, headers=auth(KEYS["cache"]), timeout=30)
    again = httpx.post(f"{b}/v1/summaries", json=body, headers=auth(KEYS["cache"]), timeout=30)
    assert made.status_code == again.status_code == 200
    assert made.json()["usage"]["cached"] is False and again.json()["usage"]["cached"] is True
    assert again.json()["claims"] == made.json()["claims"]


def test_one_keys_burst_is_shared_by_the_replicas(pair):
    a, b = pair
    statuses = [
        httpx.get(f"{url}/v1/articles/{'0' * 32}", headers=auth(KEYS["burst"])).status_code
        for _ in range(5)
        for url in (a, b)
    ]
    assert statuses.count(404) == BURST  # admitted (and the article does not exist)
    assert statuses.count(429) == 10 - BURST


def test_a_replica_killed_mid_write_loses_no_acknowledged_write(backends, tmp_path):
    with fresh_database(backends["FOOTNOTED_DB"]) as db:
        env = {"FOOTNOTED_DB": db}
        with (
            running_server(tmp_path / "a.log", env) as (a, replica_a),
            running_server(tmp_path / "b.log", env) as (b, _),
        ):
            with Writers(a, 6) as writers:
                deadline = time.monotonic() + 8
                while len(writers.acknowledged) < 60 and time.monotonic() < deadline:
                    time.sleep(0.01)
                while writers.in_flight == 0 and time.monotonic() < deadline + 1:
                    time.sleep(0.001)  # kill while requests are in flight
                with writers.lock:
                    in_flight = writers.in_flight
                    replica_a.send_signal(signal.SIGKILL)
                    acknowledged = dict(writers.acknowledged)
            assert replica_a.wait(timeout=10) == -signal.SIGKILL
            assert not writers.errors, writers.errors
            assert in_flight > 0 and len(acknowledged) >= 20, tail(tmp_path / "a.log")
            with httpx.Client(base_url=b, timeout=10) as client:
                for article_id, text in acknowledged.items():
                    response = client.get(f"/v1/articles/{article_id}")
                    assert response.status_code == 200, (article_id, response.text[:200])
                    assert response.json()["text"] == text
                # B keeps serving: new writes and summaries.
                new = client.post("/v1/articles", json={"text": "After the kill. B still works."})
                assert new.status_code == 201
                summary = client.post("/v1/summaries", json={"article_id": new.json()["id"]})
                assert summary.status_code == 200


def test_the_breaker_opened_by_failures_on_a_fails_fast_on_b(backends, tmp_path, ferry_text):
    redis_url = backends["FOOTNOTED_REDIS_URL"].rsplit("/", 1)[0] + "/3"
    flush(redis_url)
    with FakeModelServer() as model, fresh_database(backends["FOOTNOTED_DB"]) as db:
        env = {
            "FOOTNOTED_DB": db,
            "FOOTNOTED_REDIS_URL": redis_url,
            "FOOTNOTED_LLM_BASE_URL": model.base_url,
            "FOOTNOTED_LLM_MODEL": "server-error",  # the scripted endpoint answers 500
            "FOOTNOTED_LLM_MAX_RETRIES": "0",
            "FOOTNOTED_LLM_BREAKER_FAILURES": "2",
            "FOOTNOTED_LLM_BREAKER_COOLDOWN_S": "60",
        }
        with (
            running_server(tmp_path / "a.log", env) as (a, _),
            running_server(tmp_path / "b.log", env) as (b, _),
        ):
            for n in range(2):
                body = {"article": {"text": f"{ferry_text}\n\nRun {n}."}}
                assert_problem(httpx.post(f"{a}/v1/summaries", json=body, timeout=30), 502)
            calls = len(model.model.requests)
            refused = httpx.post(
                f"{b}/v1/summaries", json={"article": {"text": ferry_text}}, timeout=30
            )
            assert_problem(refused, 503)
            assert refused.json()["type"] == "/problems/model-busy"
            assert int(refused.headers["retry-after"]) > 1
            assert len(model.model.requests) == calls  # B never called the failing endpoint


def wait_ready(client: httpx.Client, log: Path, seconds: float = 20) -> None:
    """Until /readyz is 200 again (the backend is back), within `seconds`."""
    deadline = time.monotonic() + seconds
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, tail(log)
        time.sleep(0.2)


@pytest.fixture
def private_postgres() -> Iterator[tuple[str, dict[str, str]]]:
    """A PostgreSQL server of this test's own (so it can be stopped): URL and its services env."""
    folder = tempfile.mkdtemp(prefix="footnoted-pg-")  # in /tmp: the server's user must reach it
    env = {"SERVICES_DIR": folder, "POSTGRES_PORT": str(free_port())}
    url = services("start", "postgres", **env)["FOOTNOTED_DB"]
    try:
        yield url, env
    finally:
        services("stop", "postgres", **env)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_database_that_goes_away_is_a_503_until_it_is_back(private_postgres, tmp_path):
    url, services_env = private_postgres
    with running_server(tmp_path / "server.log", {"FOOTNOTED_DB": url}) as (server, _):
        with httpx.Client(base_url=server, timeout=30) as client:
            stored = client.post("/v1/articles", json={"text": "Before. The database is up."})
            assert stored.status_code == 201
            services("stop", "postgres", **services_env)

            down = client.get(f"/v1/articles/{stored.json()['id']}")
            assert_problem(down, 503)
            assert down.json()["type"] == "/problems/backend-unavailable"
            assert down.headers["retry-after"]
            assert_problem(client.post("/v1/articles", json={"text": "While it is down."}), 503)
            ready = client.get("/readyz")
            assert_problem(ready, 503)
            assert ready.json()["backends"] == {"store (postgresql)": "down"}

            services("start", "postgres", **services_env)
            wait_ready(client, tmp_path / "server.log")
            again = client.get(f"/v1/articles/{stored.json()['id']}")
            assert again.status_code == 200 and again.json() == stored.json()
            assert (
                client.post("/v1/articles", json={"text": "After. It is back."}).status_code == 201
            )
    assert "Traceback" not in (tmp_path / "server.log").read_text()


@contextmanager
def frozen(services_dir: str) -> Iterator[None]:
    """Every process of a PostgreSQL server stopped (SIGSTOP): connections stay open, nothing
    answers; SIGCONT on the way out."""
    postmaster = int((Path(services_dir) / "pg" / "postmaster.pid").read_text().split()[0])
    children = subprocess.run(
        ["pgrep", "-P", str(postmaster)], capture_output=True, text=True
    ).stdout.split()
    pids = [postmaster, *map(int, children)]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def test_a_database_that_hangs_is_a_503_not_a_hang(private_postgres, tmp_path):
    url, services_env = private_postgres
    with running_server(tmp_path / "server.log", {"FOOTNOTED_DB": url}) as (server, _):
        with httpx.Client(base_url=server, timeout=60) as client:
            stored = client.post("/v1/articles", json={"text": "Before. The database answers."})
            assert stored.status_code == 201
            with frozen(services_env["SERVICES_DIR"]):
                started = time.monotonic()
                assert_problem(client.get("/readyz"), 503)
                assert time.monotonic() - started < 10  # a 2 s ping, not the client's 60 s
                started = time.monotonic()
                down = client.get(f"/v1/articles/{stored.json()['id']}")
                assert_problem(down, 503)
                assert down.json()["type"] == "/problems/backend-unavailable"
                assert time.monotonic() - started < 30  # a 5 s store call, not 60 s
            wait_ready(client, tmp_path / "server.log")
            assert client.get(f"/v1/articles/{stored.json()['id']}").status_code == 200
