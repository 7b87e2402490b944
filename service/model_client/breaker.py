"""Fail fast when the model endpoint is down, and recover by itself: a circuit breaker.

Closed: calls go through; `failures` endpoint failures in a row open it. Open: calls fail at
once (503, Retry-After: the time left) for `cooldown_s`. Then half-open: one trial call goes
through; success closes the circuit, failure opens it again.

This one lives in the process. With FOOTNOTED_REDIS_URL, replicas share one instead
(`service/store/counters.py`, the same protocol): one replica's failures open it for all.
"""

from collections.abc import Callable
import time
from typing import Protocol

from ..domain.errors import ModelBusy


class Breaker(Protocol):
    """Each call asks `before_call` and then reports how it went, saying whether it was the
    half-open trial: only the trial's own outcome ends the trial (another call that began
    before the circuit opened must not)."""

    async def before_call(self) -> bool:
        """True when this call is the half-open trial; raises ModelBusy (with Retry-After) when
        no call may be made now."""

    async def released(self, trial: bool) -> None: ...
    async def succeeded(self, trial: bool) -> None: ...
    async def failed(self, trial: bool) -> None: ...


class CircuitBreaker:
    def __init__(
        self,
        failures: int = 5,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold, self.cooldown_s, self.clock = failures, cooldown_s, clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial = False  # a half-open trial call is under way

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.cooldown_s else "open"

    async def before_call(self) -> bool:
        state = self.state
        if state == "open" or (state == "half-open" and self.trial):
            left = (
                self.cooldown_s - (self.clock() - self.opened_at)
                if state == "open" and self.opened_at is not None
                else 1.0
            )
            raise ModelBusy(
                "the model endpoint is failing; not calling it for now", retry_after=max(left, 1.0)
            )
        self.trial = state == "half-open"
        return self.trial

    async def released(self, trial: bool) -> None:
        """The call ended without telling whether the endpoint works (a 429, a cancelled call):
        a half-open circuit lets the next call try instead."""
        if trial:
            self.trial = False

    async def succeeded(self, trial: bool) -> None:
        self.failures, self.opened_at = 0, None
        if trial:
            self.trial = False

    async def failed(self, trial: bool) -> None:
        self.failures += 1
        if trial or self.failures >= self.threshold:
            self.opened_at = self.clock()
        if trial:
            self.trial = False
