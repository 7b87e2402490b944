"""The result cache seam: same article, request, engine, model, prompts and code, same answer."""

from collections.abc import Awaitable, Callable
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..engines.base import Engine
from ..errors import BackendUnavailable
from ..results import Grounded

G = TypeVar("G", bound=Grounded)
log = logging.getLogger(__name__)


class ResultCache(Protocol):
    """Where results are kept (the store: SQLite, or PostgreSQL shared by replicas)."""

    async def get_result(self, key: str) -> dict[str, Any] | None: ...
    async def put_result(self, key: str, article_id: str, value: dict[str, Any]) -> None: ...


def _code_version() -> str:
    """A digest of the domain code: a result made by another build (another verifier, other
    injection rules) is not served by this one."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parents[1].rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def cache_key(kind: str, article_id: str, request: dict[str, Any], engine: Engine) -> str:
    """Everything that changes the answer: the request, the engine, its model, prompts and
    budgets, the endpoint it calls (the same model name elsewhere is another model), the code."""
    parts = [
        kind,
        article_id,
        request,
        engine.name,
        engine.model,
        engine.prompt_version,
        getattr(engine, "cache_scope", ""),
        CODE_VERSION,
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


async def through_cache(
    cache: ResultCache | None,
    key: str,
    article_id: str,
    kind: type[G],
    compute: Callable[[], Awaitable[G]],
) -> G:
    """A hit comes back with `usage.cached: true` and costs no model call."""
    if cache is not None and (hit := await cache.get_result(key)) is not None:
        result = kind.model_validate(hit)
        result.usage.cached = True
        return result
    result = await compute()
    if cache is not None:
        await keep(cache, key, article_id, result.model_dump())
    return result


async def keep(cache: ResultCache, key: str, article_id: str, value: dict[str, Any]) -> None:
    """A result that cannot be cached (the database went away meanwhile) is still the answer:
    the model call is paid for. It is logged, and made again next time."""
    try:
        await cache.put_result(key, article_id, value)
    except BackendUnavailable as exc:
        log.warning("result not cached: %s", exc)
