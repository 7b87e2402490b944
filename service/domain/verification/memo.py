"""Work shared by the checks of one claim (an evidence's clauses, sentences, names): done once
and kept for that call only, so a megabyte of evidence is not held on to after it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar, cast

T = TypeVar("T")
_SHARED: ContextVar[dict[tuple[object, ...], object] | None] = ContextVar(
    "shared_check_work", default=None
)


@contextmanager
def shared_work() -> Iterator[None]:
    """Within this block, a @shared function computes each result once."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared(function: Callable[..., T]) -> Callable[..., T]:
    """Memoized within shared_work(), plain outside it (a check called on its own)."""

    @wraps(function)
    def once_per_check(*args: object) -> T:
        memo = _SHARED.get()
        if memo is None:
            return function(*args)
        key = (function.__name__, *args)
        if key not in memo:
            memo[key] = function(*args)
        return cast(T, memo[key])  # stored by this function under its own name

    return once_per_check
