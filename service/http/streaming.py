"""Server-sent events for chat answers."""

import asyncio
from collections.abc import AsyncIterator
import contextlib
import json
import logging
from typing import Any, cast

from litestar import Request
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from pydantic import BaseModel

from ..domain.errors import DomainError
from ..domain.pipeline.chat import Event, GroundedAnswer
from .observability import note_result
from .problems import classify

log = logging.getLogger("footnoted.http")


async def first_event(
    request: Request[Any, Any, Any], events: AsyncIterator[Event]
) -> Event | None:
    """The first event, or None when the client leaves before it comes: the model call is
    cancelled then (Litestar does not cancel a handler whose client has gone)."""
    first = asyncio.ensure_future(anext(events))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({first, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not first.done():
            first.cancel()  # also when this handler is cancelled itself
            await asyncio.wait({first})  # the cancellation lands: the model call has stopped
    if first.cancelled():
        return None
    return first.result()  # a failure before the first event: a plain problem detail


async def _disconnected(request: Request[Any, Any, Any]) -> None:
    with contextlib.suppress(Exception):  # a receive that fails: the client is gone all the same
        while (await request.receive())["type"] != "http.disconnect":
            await asyncio.sleep(0)  # a server that answers at once must not starve the loop


def event_stream(first: Event, rest: AsyncIterator[Event]) -> ServerSentEvent:
    return ServerSentEvent(_messages(first, rest))


async def _messages(
    first: Event, rest: AsyncIterator[Event]
) -> AsyncIterator[ServerSentEventMessage]:
    """`delta`, `claim` and `done` events; a failure mid-stream becomes an `error` event."""
    try:
        async for kind, value in _all(first, rest):
            if kind == "done":
                note_result(cast(GroundedAnswer, value))  # what a "done" event carries
            yield _event(kind, value)
    except DomainError as exc:
        status, slug, title = classify(exc)
        yield _event(
            "error",
            {"type": f"/problems/{slug}", "title": title, "status": status, "detail": str(exc)},
        )
    except Exception:  # the headers are gone: say it in the stream, log the rest
        log.exception("chat stream failed")
        yield _event(
            "error",
            {
                "type": "/problems/internal-error",
                "title": "Internal server error",
                "status": 500,
                "detail": "the answer failed; it has been logged",
            },
        )


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
