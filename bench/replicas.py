"""Extractive summaries through one replica against two, on this machine and one PostgreSQL.

Each run gets a fresh database on the server of `make services` (started here when it is not
running), starts N `footnoted serve` processes on it (and Redis), and sends summaries of
distinct articles (so each one stores an article, misses the cache, computes and stores its
result) from C concurrent clients, round robin over the replicas, for D seconds. It prints
throughput, latency p50/p95, and the database's share of request time, two ways, both over the
replicas' summed request durations (`footnoted_request_duration_seconds_sum`):
- store calls: `footnoted_store_seconds_sum{backend="postgresql"}`, the wall time of the
  replicas' store calls (taking a pooled connection and checking it, the statements, the round
  trips; on a busy event loop also the time the loop spent on other requests meanwhile);
- database: PostgreSQL's own `pg_stat_database.active_time`, the time it spent executing them.

    .venv/bin/python bench/replicas.py [--seconds 20] [--concurrency 8]

On 2 cores the replicas, PostgreSQL and the load generator share the same two cores; the figures
say what a second process buys here, not what a second machine would.
"""

import argparse
import asyncio
from contextlib import ExitStack
from pathlib import Path
import re
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlsplit
import uuid

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from processes import ROOT, free_port, spawn, stop, wait_up  # noqa: E402

SENTENCES = (
    "The harbor board of town {n} met on {day} to review the ferry timetable.",
    "Its report counted {a} crossings and {b} passengers in the month, up from {c}.",
    "Mayor Ines Varga of town {n} said the new boat would sail by June {year}.",
    "Councillors voted {a} to {d} to fund a second charging dock at the pier.",
    "Residents of town {n} told the board that delays had grown since {day}.",
)


def article(n: int) -> str:
    """A distinct article of 25 sentences (about 2 KB)."""
    rows = []
    for day in range(1, 6):
        values = {"n": n, "day": day, "a": n % 9 + day, "b": n * 13 + day, "c": n * 11}
        values |= {"d": day, "year": 2027 + day}
        rows += [s.format(**values) for s in SENTENCES]
    return " ".join(rows)


def services() -> dict[str, str]:
    done = subprocess.run(
        [str(ROOT / ".ci" / "services"), "start"], capture_output=True, text=True, check=True
    )
    lines = [line.removeprefix("export ") for line in done.stdout.splitlines()]
    return dict(line.split("=", 1) for line in lines if "=" in line)


class Database:
    """A fresh database on the server, dropped afterwards."""

    def __init__(self, server: str) -> None:
        self.server, self.name = server, f"bench_{uuid.uuid4().hex[:12]}"
        self.url = urlsplit(server)._replace(path=f"/{self.name}").geturl()

    def __enter__(self) -> str:
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        return self.url

    def active_s(self) -> float:
        """Seconds the server has spent executing statements in this database."""
        time.sleep(1.5)  # backends flush their statistics about once a second
        with psycopg.connect(self.server, autocommit=True) as admin:
            row = admin.execute(
                "SELECT active_time FROM pg_stat_database WHERE datname = %s", (self.name,)
            ).fetchone()
        return (row[0] or 0.0) / 1000 if row else 0.0

    def __exit__(self, *exc: object) -> None:
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def metric(text: str, name: str, labels: str) -> float:
    """The sum of a metric's samples whose labels contain `labels`."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and labels in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


async def load(urls: list[str], seconds: float, concurrency: int, offset: int) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    counter = iter(range(offset, offset + 10**9))

    async def client(worker: int) -> None:
        async with httpx.AsyncClient(timeout=60, trust_env=False) as http:
            while time.monotonic() < deadline:
                n = next(counter)
                url = urls[n % len(urls)]
                started = time.perf_counter()
                response = await http.post(
                    f"{url}/v1/summaries", json={"article": {"text": article(n)}}
                )
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code} {response.text[:200]}")
                latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(client(w) for w in range(concurrency)))
    return latencies


async def run(replicas: int, env: dict[str, str], args: argparse.Namespace) -> dict[str, float]:
    logs = Path(tempfile.mkdtemp(prefix="footnoted-bench-"))
    database = Database(env["FOOTNOTED_DB"])
    with database as db, ExitStack() as stack:  # the replicas stop before the database goes
        urls = []
        for r in range(replicas):
            port = free_port()
            server_env = {
                "FOOTNOTED_DB": db,
                "FOOTNOTED_REDIS_URL": env["FOOTNOTED_REDIS_URL"],
                "FOOTNOTED_LOG_LEVEL": "WARNING",
            }
            command = ["serve", "--host", "127.0.0.1", "--port", str(port)]
            proc = spawn(command, server_env, logs / f"replica-{r}.log")
            stack.callback(stop, proc)
            url = f"http://127.0.0.1:{port}"
            await wait_up(f"{url}/readyz", proc)
            urls.append(url)
        await load(urls, 2.0, args.concurrency, offset=10**6)  # warm up: imports, pools
        before = [httpx.get(f"{u}/metrics").text for u in urls]
        active_before = database.active_s()
        started = time.perf_counter()
        latencies = await load(urls, args.seconds, args.concurrency, offset=0)
        elapsed = time.perf_counter() - started
        after = [httpx.get(f"{u}/metrics").text for u in urls]
        active = database.active_s() - active_before
    store = request = 0.0
    for old, new in zip(before, after, strict=True):
        labels = 'backend="postgresql"'
        store += metric(new, "footnoted_store_seconds_sum", labels)
        store -= metric(old, "footnoted_store_seconds_sum", labels)
        path = 'path="/v1/summaries"'
        request += metric(new, "footnoted_request_duration_seconds_sum", path)
        request -= metric(old, "footnoted_request_duration_seconds_sum", path)
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
        "store_share": store / request if request else 0.0,
        "db_share": active / request if request else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    env = services()
    print(f"extractive summaries of distinct 25-sentence articles, {args.concurrency} clients, ")
    print(f"{args.seconds:g} s a run, PostgreSQL {re.sub(r'//[^@]*@', '//', env['FOOTNOTED_DB'])}")
    print(
        f"{'replicas':>8} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'store calls':>12} {'database':>9}"
    )
    for replicas in (1, 2):
        figures = asyncio.run(run(replicas, env, args))
        print(
            f"{replicas:>8} {figures['requests']:>9} {figures['per_second']:>7.1f} "
            f"{figures['p50_ms']:>7.1f} {figures['p95_ms']:>7.1f} "
            f"{figures['store_share']:>12.1%} {figures['db_share']:>9.1%}"
        )


if __name__ == "__main__":
    main()
