"""The result cache seam: same article, request, engine, model and prompt version, same answer."""

from collections.abc import Awaitable, Callable
import hashlib
import json
from typing import Protocol, TypeVar

from .grounded import Grounded

G = TypeVar("G", bound=Grounded)


class ResultCache(Protocol):
    def get_result(self, key: str) -> dict | None: ...
    def put_result(self, key: str, article_id: str, value: dict) -> None: ...


def cache_key(kind: str, article_id: str, request: dict, engine) -> str:
    parts = [kind, article_id, request, engine.name, engine.model, engine.prompt_version]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


async def through_cache(cache: ResultCache | None, key: str, article_id: str, kind: type[G],
                        compute: Callable[[], Awaitable[G]]) -> G:
    """A hit comes back with `usage.cached: true` and costs no model call."""
    if cache is not None and (hit := cache.get_result(key)) is not None:
        result = kind.model_validate(hit)
        result.usage.cached = True
        return result
    result = await compute()
    if cache is not None:
        cache.put_result(key, article_id, result.model_dump())
    return result
