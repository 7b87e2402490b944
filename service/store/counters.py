"""Counters shared by replicas, in Redis (FOOTNOTED_REDIS_URL): each API key's token bucket and
the model endpoint's circuit breaker. Each update is one Lua script, so it is atomic across
replicas, and its clock is Redis' own (TIME), so replicas whose clocks differ agree.

While Redis does not answer, every call raises BackendUnavailable (a 503, never a 500).
"""

from collections.abc import Iterator
from contextlib import contextmanager
import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from ..domain.errors import BackendUnavailable, ModelBusy
from .timing import timed

PREFIX = "footnoted"
IDLE_EXPIRY_S = 86400  # counters nobody touched for a day go

# A token bucket: `rate` tokens a second up to `capacity`; takes one. Returns the seconds to wait
# (0: taken). Numbers go back as strings: Lua numbers come back to clients truncated to integers.
TAKE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local rate, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or capacity
local stamp = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 60)
return tostring(wait)
"""

# Before a model call: '0' go, '-1' go as the half-open trial (one across all replicas: the
# trial key holds its caller's token for as long as a model call may last), else the seconds to
# wait.
BEFORE_CALL = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local opened = tonumber(redis.call('HGET', KEYS[1], 'opened_at'))
if not opened then return '0' end
local left = tonumber(ARGV[1]) - (now - opened)
if left > 0 then return tostring(left) end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return '-1' end
return '1'
"""

# A failed call: one more failure in a row; the threshold reached, or a failed trial, opens it.
FAILED = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if ARGV[2] ~= '' or failures >= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'opened_at', tostring(now))
end
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return failures
"""

# The end of a trial that proved nothing: its key goes, if it is still this caller's.
END_TRIAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def without_password(url: str) -> str:
    """A Redis URL fit for a message or a log: its password left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    return parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")).geturl()


SCRIPTS = {"take": TAKE, "before_call": BEFORE_CALL, "failed": FAILED, "end_trial": END_TRIAL}


class SharedCounters:
    """One Redis connection pool for the counters of this process."""

    def __init__(self, url: str, timeout_s: float = 2.0) -> None:
        self.url = url
        self.redis: aioredis.Redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s
        )
        # Sent by digest (EVALSHA), and in full only when Redis does not know it yet.
        self.scripts = {name: self.redis.register_script(s) for name, s in SCRIPTS.items()}

    async def ping(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except RedisError:
            return False

    async def run(self, script: str, keys: list[str], args: list[str | float]) -> Any:
        """One of SCRIPTS; Redis gone is BackendUnavailable."""
        try:
            with _timed():
                return await self.scripts[script](keys=keys, args=args)
        except RedisError as exc:
            raise BackendUnavailable("the shared counters (Redis) do not answer") from exc

    async def delete(self, *keys: str) -> None:
        try:
            await self.redis.delete(*keys)
        except RedisError as exc:
            raise BackendUnavailable("the shared counters (Redis) do not answer") from exc

    def rate_limiter(self, per_minute: int, burst: int) -> "SharedRateLimiter":
        return SharedRateLimiter(self, per_minute / 60.0, float(burst))

    def breaker(
        self, endpoint: str, failures: int, cooldown_s: float, call_s: float = 60.0
    ) -> "SharedCircuitBreaker":
        return SharedCircuitBreaker(self, endpoint, failures, cooldown_s, call_s)

    async def close(self) -> None:
        await self.redis.aclose()


class SharedRateLimiter:
    def __init__(self, counters: SharedCounters, rate: float, capacity: float) -> None:
        self.counters, self.rate, self.capacity = counters, rate, capacity

    async def take(self, caller: bytes) -> float:
        key = f"{PREFIX}:rate:{caller.hex()[:32]}"
        return float(await self.counters.run("take", [key], [self.rate, self.capacity]))


class SharedCircuitBreaker:
    """The breaker of `service/model_client/breaker.py`, its state in Redis. The half-open
    trial is held under a token of this process for `call_s` (as long as a model call may
    take), so no second trial starts while the first runs, and only its holder ends it."""

    def __init__(
        self,
        counters: SharedCounters,
        endpoint: str,
        failures: int,
        cooldown_s: float,
        call_s: float = 60.0,
    ) -> None:
        name = hashlib.sha256(endpoint.encode()).hexdigest()[:16]
        self.state_key = f"{PREFIX}:breaker:{name}"
        self.trial_key = f"{self.state_key}:trial"
        self.counters, self.threshold, self.cooldown_s = counters, failures, cooldown_s
        self.trial_ms = round(max(call_s, cooldown_s) * 1000) + 5000
        self.token = secrets.token_hex(8)  # this process's, in the trial key while it holds it

    async def before_call(self) -> bool:
        keys = [self.state_key, self.trial_key]
        wait = float(
            await self.counters.run(
                "before_call", keys, [self.cooldown_s, self.token, self.trial_ms]
            )
        )
        if wait > 0:
            raise ModelBusy(
                "the model endpoint is failing; not calling it for now", retry_after=max(wait, 1.0)
            )
        return wait < 0

    async def released(self, trial: bool) -> None:
        if trial:
            await self.counters.run("end_trial", [self.trial_key], [self.token])

    async def succeeded(self, trial: bool) -> None:
        await self.counters.delete(self.state_key)
        if trial:
            await self.counters.run("end_trial", [self.trial_key], [self.token])

    async def failed(self, trial: bool) -> None:
        keys = [self.state_key, self.trial_key]
        args: list[str | float] = [self.threshold, self.token if trial else "", IDLE_EXPIRY_S]
        await self.counters.run("failed", keys, args)


@contextmanager
def _timed() -> Iterator[None]:
    """Redis time in the store histogram, beside the database's."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timed("redis", time.perf_counter() - started)
