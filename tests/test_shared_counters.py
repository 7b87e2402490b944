"""Counters shared by replicas in Redis (a real server on loopback): each key's token bucket is
atomic across processes' clients, and the circuit breaker opened by one replica's failures
fails fast on another. Two SharedCounters stand for two replicas; tests/test_replicas.py runs
two real servers."""

import asyncio
import shutil
import tempfile

from litestar.testing import TestClient
import pytest

from service.domain.errors import BackendUnavailable, ModelBusy
from service.http.app import create_app
from service.settings import Settings
from service.store.counters import SharedCounters, without_password
from tests.helpers import assert_problem, free_port, services


@pytest.fixture
async def replicas(redis_url):
    pair = [SharedCounters(redis_url), SharedCounters(redis_url)]
    yield pair
    for counters in pair:
        await counters.close()


async def test_a_keys_burst_is_shared_by_replicas(replicas):
    a, b = (c.rate_limiter(per_minute=1, burst=5) for c in replicas)
    waits = [await limiter.take(b"key-1") for _ in range(4) for limiter in (a, b)]
    assert sum(w == 0 for w in waits) == 5
    assert all(w > 0 for w in waits[5:])
    assert await a.take(b"key-2") == 0  # another key has a bucket of its own


async def test_concurrent_takes_never_admit_more_than_the_burst(replicas):
    a, b = (c.rate_limiter(per_minute=1, burst=10) for c in replicas)
    waits = await asyncio.gather(*(limiter.take(b"k") for _ in range(25) for limiter in (a, b)))
    assert sum(w == 0 for w in waits) == 10


async def test_the_bucket_refills_at_its_rate(replicas):
    limiter = replicas[0].rate_limiter(per_minute=60, burst=1)  # 1 a second
    assert await limiter.take(b"k") == 0
    wait = await limiter.take(b"k")
    assert 0 < wait <= 1.0
    await asyncio.sleep(wait + 0.05)
    assert await limiter.take(b"k") == 0


async def test_failures_on_one_replica_open_the_breaker_for_all(replicas):
    a, b = (c.breaker("http://model.example/v1", failures=2, cooldown_s=2) for c in replicas)
    for _ in range(2):
        assert await a.before_call() is False
        await a.failed(False)
    with pytest.raises(ModelBusy) as refused:
        await b.before_call()
    assert refused.value.retry_after >= 1.0
    await asyncio.sleep(2.05)
    assert await b.before_call() is True  # half-open: B holds the one trial
    with pytest.raises(ModelBusy):
        await a.before_call()  # no second call anywhere while the trial runs
    await b.succeeded(True)
    assert await a.before_call() is False  # closed again, for every replica


async def test_a_trial_holds_the_circuit_for_as_long_as_a_model_call_may_take(replicas):
    # The cooldown is shorter than a model call: a second trial must still not start while the
    # first one runs.
    a, b = (
        c.breaker("http://model.example/v1", failures=1, cooldown_s=0.2, call_s=5) for c in replicas
    )
    await a.before_call()
    await a.failed(False)
    await asyncio.sleep(0.25)
    assert await a.before_call() is True
    await asyncio.sleep(0.3)  # past the cooldown, the trial still running
    with pytest.raises(ModelBusy):
        await b.before_call()


async def test_only_the_trials_holder_ends_it(replicas):
    a, b = (c.breaker("http://model.example/v1", failures=1, cooldown_s=0.2) for c in replicas)
    early = await b.before_call()  # began before the circuit opened
    await a.before_call()
    await a.failed(False)
    await asyncio.sleep(0.25)
    assert await a.before_call() is True
    await b.released(early)  # B's call ends (a 429) while A's trial runs
    with pytest.raises(ModelBusy):
        await b.before_call()


async def test_a_failed_trial_opens_it_again_and_a_released_one_lets_another_try(replicas):
    a, b = (c.breaker("http://model.example/v1", failures=1, cooldown_s=1) for c in replicas)
    await a.before_call()
    await a.failed(False)
    await asyncio.sleep(1.05)
    trial = await a.before_call()
    await a.released(trial)  # it proved nothing (a 429): the next caller may try
    trial = await b.before_call()
    assert trial is True
    await b.failed(trial)  # a failed trial: open again
    with pytest.raises(ModelBusy):
        await a.before_call()


async def test_successes_reset_the_failures_in_a_row(replicas):
    a, b = (c.breaker("http://model.example/v1", failures=2, cooldown_s=5) for c in replicas)
    await a.before_call()
    await a.failed(False)
    await b.before_call()
    await b.succeeded(False)
    await a.before_call()
    await a.failed(False)
    assert await b.before_call() is False  # one failure in a row: still closed


async def test_each_endpoint_has_its_own_breaker(replicas):
    one = replicas[0].breaker("http://one.example/v1", failures=1, cooldown_s=5)
    other = replicas[1].breaker("http://other.example/v1", failures=1, cooldown_s=5)
    await one.before_call()
    await one.failed(False)
    assert await other.before_call() is False


async def test_redis_gone_is_backend_unavailable():
    counters = SharedCounters(f"redis://127.0.0.1:{free_port()}/0", timeout_s=0.5)
    try:
        assert await counters.ping() is False
        with pytest.raises(BackendUnavailable):
            await counters.rate_limiter(60, 5).take(b"k")
        with pytest.raises(BackendUnavailable):
            await counters.breaker("x", 1, 1).before_call()
    finally:
        await counters.close()


def test_readiness_names_redis(tmp_path, redis_url):
    settings = Settings(db=str(tmp_path / "f.db"), redis_url=redis_url)
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["backends"] == {"store (sqlite)": "ok", "redis": "ok"}


def test_without_redis_the_api_answers_503_not_500(tmp_path, ferry_text):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        redis_url=f"redis://127.0.0.1:{free_port()}/0",
        api_keys="k-1",
    )
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert_problem(ready, 503)
        assert ready.json()["backends"]["redis"] == "down"
        refused = client.post(
            "/v1/summaries",
            json={"article": {"text": ferry_text}},
            headers={"authorization": "Bearer k-1"},
        )
        assert_problem(refused, 503)
        assert refused.json()["type"] == "/problems/backend-unavailable"
        assert refused.headers["retry-after"] == "2"


def test_a_redis_that_goes_away_and_comes_back_is_used_again(tmp_path):
    folder = tempfile.mkdtemp(prefix="footnoted-redis-")
    env = {"SERVICES_DIR": folder, "REDIS_PORT": str(free_port())}
    url = services("start", "redis", **env)["FOOTNOTED_REDIS_URL"]
    try:
        asyncio.run(_across_a_restart(url, env))
    finally:
        services("stop", "redis", **env)
        shutil.rmtree(folder, ignore_errors=True)


async def _across_a_restart(url: str, env: dict[str, str]) -> None:
    counters = SharedCounters(url, timeout_s=0.5)
    limiter = counters.rate_limiter(per_minute=60, burst=100)
    try:
        assert await limiter.take(b"k") == 0
        services("stop", "redis", **env)
        with pytest.raises(BackendUnavailable):
            await limiter.take(b"k")
        services("start", "redis", **env)
        assert await limiter.take(b"k") == 0  # the client reconnects by itself
        assert await counters.ping()
    finally:
        await counters.close()


def test_messages_never_show_the_redis_password():
    assert (
        without_password("redis://:s3cret@cache.example:6380/0") == "redis://cache.example:6380/0"
    )
    assert without_password("redis://user:s3cret@cache.example/1") == "redis://cache.example/1"
    assert without_password("redis://cache.example:6379/0") == "redis://cache.example:6379/0"
