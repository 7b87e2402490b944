"""Optional API keys and per-key rate limits for the /v1 routes (health, metrics, docs open).

Keys are kept only as SHA-256 digests and compared in constant time (hmac.compare_digest
against every stored digest, so timing tells nothing about which or how much matched). The
buckets live in the process, or in Redis when replicas share them (FOOTNOTED_REDIS_URL,
`service/store/counters.py`): a key's limit is then the limit whatever the number of replicas.
"""

from dataclasses import dataclass, field
import hashlib
import hmac
import math
import time
from typing import Any, Protocol

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler

PROTECTED_PREFIX = "/v1/"


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


@dataclass
class TokenBucket:
    """`rate` tokens a second, up to `capacity`; each request takes one."""

    rate: float
    capacity: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float) -> float:
        """0 when the request may go; else the seconds until a token is there."""
        if self.tokens < 0:
            self.tokens = self.capacity
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class RateLimiter(Protocol):
    async def take(self, caller: bytes) -> float:
        """0 when the caller may go (a token taken); else the seconds until a token is there."""


class LocalRateLimiter:
    """Token buckets in this process."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate, self.capacity = per_minute / 60.0, float(burst)
        self.buckets: dict[bytes, TokenBucket] = {}

    async def take(self, caller: bytes) -> float:
        bucket = self.buckets.setdefault(caller, TokenBucket(self.rate, self.capacity))
        return bucket.take(time.monotonic())


class Gate:
    """Who may call /v1, and how often."""

    def __init__(self, keys: list[str], per_minute: int, burst: int) -> None:
        self.digests = [digest(k) for k in keys]
        self.per_minute = per_minute
        self.limiter: RateLimiter = LocalRateLimiter(per_minute, burst)  # or shared, at start

    @property
    def enabled(self) -> bool:
        return bool(self.digests)

    def identify(self, authorization: str | None) -> bytes:
        """The caller's key digest; NotAuthorizedException when there is no valid key."""
        scheme, _, token = (authorization or "").partition(" ")
        presented = digest(token.strip()) if scheme.lower() == "bearer" else b""
        known = False
        for stored in self.digests:  # every digest compared: constant time
            known |= hmac.compare_digest(presented, stored)
        if not known:
            raise NotAuthorizedException(
                detail="send a valid API key: Authorization: Bearer <key>",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return presented

    async def admit(self, caller: bytes) -> None:
        wait = await self.limiter.take(caller)
        if wait > 0:
            raise TooManyRequestsException(
                detail=f"rate limit: {self.per_minute} requests a minute per key",
                headers={"Retry-After": str(math.ceil(wait))},
            )


async def require_api_key(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """A Litestar guard on the /v1 controllers: a key is needed when keys are configured. (On
    the controllers, not by testing the URL: behind a proxy's root path the URL starts with it.)"""
    gate: Gate = connection.app.state.gate
    if gate.enabled:
        await gate.admit(gate.identify(connection.headers.get("authorization")))
