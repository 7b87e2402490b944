"""Request ids, one log line per request, and Prometheus metrics."""

from contextvars import ContextVar
import logging
import time
import uuid

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str] = ContextVar("request_id", default="-")
log = logging.getLogger("footnoted.access")

PROMETHEUS = PrometheusConfig(app_name="footnoted", prefix="footnoted", group_path=True,
                              exclude=["/metrics"])


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class RequestContext(ASGIMiddleware):
    """Takes X-Request-ID from the client (or makes one), echoes it, logs the request once."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        rid = _client_request_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            log.info("%s %s status=%s latency_ms=%.1f", scope["method"], scope["path"], status,
                     (time.perf_counter() - started) * 1000, extra={"request_id": rid})
            request_id.reset(token)


def _client_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            # Only short printable ids are echoed into logs and headers.
            return text if 0 < len(text) <= 128 and text.isprintable() else None
    return None
