"""Server-sent events for chat answers."""

from collections.abc import AsyncIterator
import json
import logging

from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from pydantic import BaseModel

from ..domain.chat import Event
from ..domain.errors import DomainError
from .observability import note_result
from .problems import classify

log = logging.getLogger("footnoted.http")


def event_stream(first: Event, rest: AsyncIterator[Event]) -> ServerSentEvent:
    return ServerSentEvent(_messages(first, rest))


async def _messages(first: Event, rest: AsyncIterator[Event]
                    ) -> AsyncIterator[ServerSentEventMessage]:
    """`delta`, `claim` and `done` events; a failure mid-stream becomes an `error` event."""
    try:
        async for kind, value in _all(first, rest):
            if kind == "done":
                note_result(value)
            yield _event(kind, value)
    except DomainError as exc:
        status, slug, title = classify(exc)
        yield _event("error", {"type": f"/problems/{slug}", "title": title, "status": status,
                               "detail": str(exc)})
    except Exception:  # the headers are gone: say it in the stream, log the rest
        log.exception("chat stream failed")
        yield _event("error", {"type": "/problems/internal-error", "title": "Internal server error",
                               "status": 500, "detail": "the answer failed; it has been logged"})


async def _all(first: Event, rest: AsyncIterator[Event]) -> AsyncIterator[Event]:
    yield first
    async for event in rest:
        yield event


def _event(kind: str, value: object) -> ServerSentEventMessage:
    if kind == "delta":
        data = json.dumps({"text": value})
    elif isinstance(value, BaseModel):
        data = value.model_dump_json()
    else:
        data = json.dumps(value)
    return ServerSentEventMessage(event=kind, data=data)
