"""Time spent in the store (SQLite or PostgreSQL), as a Prometheus histogram: bench/replicas.py
reads the database's share of request time from it."""

from prometheus_client import Histogram

STORE_SECONDS = Histogram(
    "footnoted_store_seconds",
    "Time spent in one store call (a connection taken, statements run, released)",
    ["backend"],
)


def timed(backend: str, seconds: float) -> None:
    STORE_SECONDS.labels(backend).observe(seconds)
