"""Request ids, one structured log line per request, and Prometheus metrics.

A request's line says: id, method, path, route, status, latency, and what answered it (engine,
model, tokens, cache). Never the article, the question, the answer, a header or a key: they
are the users' data and secrets.
"""

from contextvars import ContextVar
import json
import logging
import time
import uuid

from litestar.enums import ScopeType
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from ..domain.pipeline.verify_text import CheckedText
from ..domain.results import Grounded

request_id: ContextVar[str] = ContextVar("request_id", default="-")
request_facts: ContextVar[dict[str, object] | None] = ContextVar("request_facts", default=None)
FACTS = ("engine", "model", "prompt_tokens", "completion_tokens", "llm_calls", "cached")
log = logging.getLogger("footnoted.access")

PROMETHEUS = PrometheusConfig(
    app_name="footnoted", prefix="footnoted", group_path=True, exclude=["/metrics"]
)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id, message and the event fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        line |= getattr(record, "fields", {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def note(**facts: object) -> None:
    """Adds what answered the request (engine, model, tokens...) to its log line."""
    current = request_facts.get()
    if current is not None:
        current.update({k: v for k, v in facts.items() if k in FACTS})


def note_result(result: Grounded | CheckedText) -> None:
    usage = result.usage
    spent = not usage.cached  # a hit repeats what the result cost when made; it cost nothing now
    note(
        engine=result.engine,
        model=getattr(result, "model", None),
        prompt_tokens=usage.prompt_tokens * spent,
        completion_tokens=usage.completion_tokens * spent,
        llm_calls=usage.llm_calls * spent,
        cached=usage.cached,
    )


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class RequestContext:
    """Takes X-Request-ID from the client (or makes one), echoes it, logs the request once.

    It wraps the whole application, not its routes: a 404 or 405 from the router never reaches
    a route's middleware, and those requests are logged and answered with their id too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        rid = _client_request_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        facts_token = request_facts.set({})
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            latency_ms = round((time.perf_counter() - started) * 1000, 1)
            fields = {
                "event": "request",
                "method": scope["method"],
                "path": scope["path"],
                "route": _route(scope),
                "status": status,
                "latency_ms": latency_ms,
                **(request_facts.get() or {}),
            }
            log.info(
                "%s %s status=%s latency_ms=%.1f",
                scope["method"],
                scope["path"],
                status,
                latency_ms,
                extra={"request_id": rid, "fields": fields},
            )
            request_facts.reset(facts_token)
            request_id.reset(token)


def _route(scope: Scope) -> str | None:
    """The route template ("/v1/articles/{article_id:str}"), not the path with its ids."""
    return scope.get("path_template") or None


def _client_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            # Only short printable ids are echoed into logs and headers.
            return text if 0 < len(text) <= 128 and text.isprintable() else None
    return None
