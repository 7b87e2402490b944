"""One mapping from errors to RFC 9457 problem details; never a stack trace."""

from http import HTTPStatus
import logging
import math
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ExceptionHandlersMap
from pydantic import BaseModel, Field

from ..domain.errors import (
    BackendUnavailable,
    DomainError,
    EngineUnavailable,
    InvalidInput,
    LimitExceeded,
    ModelBadOutput,
    ModelBusy,
    ModelTimeout,
    ModelUnavailable,
    NotFound,
)

log = logging.getLogger("footnoted.http")
PROBLEM_JSON = "application/problem+json"
AnyRequest = Request[Any, Any, Any]
Problem = Response[dict[str, object]]  # an RFC 9457 body

# Domain error -> (status, problem type slug, title).
_DOMAIN = {
    NotFound: (404, "not-found", "Not found"),
    LimitExceeded: (422, "limit-exceeded", "Limit exceeded"),
    EngineUnavailable: (422, "engine-unavailable", "Engine unavailable"),
    InvalidInput: (422, "invalid-input", "Invalid input"),
    ModelTimeout: (504, "model-timeout", "Model timed out"),
    ModelBusy: (503, "model-busy", "Model busy"),
    BackendUnavailable: (503, "backend-unavailable", "Backend unavailable"),
    ModelUnavailable: (502, "model-unavailable", "Model endpoint failed"),
    ModelBadOutput: (502, "model-bad-output", "Model answer unusable"),
}
DEFAULT_RETRY_AFTER_S = 1
_HTTP_SLUGS = {
    400: "invalid-request",
    401: "unauthorized",
    404: "not-found",
    405: "method-not-allowed",
    413: "body-too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
}


def problem(status: int, slug: str, title: str, detail: str, **extra: object) -> Problem:
    body = {
        "type": f"/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def classify(exc: DomainError) -> tuple[int, str, str]:
    """(status, problem type slug, title) of a domain error."""
    return next(v for k, v in _DOMAIN.items() if isinstance(exc, k))


def domain_error_handler(request: AnyRequest, exc: DomainError) -> Problem:
    status, slug, title = classify(exc)
    extra: dict[str, object] = (
        {"limit": exc.limit, "limit_value": exc.value} if isinstance(exc, LimitExceeded) else {}
    )
    response = problem(status, slug, title, str(exc), **extra)
    if isinstance(exc, ModelBusy | BackendUnavailable):
        response.headers["Retry-After"] = str(math.ceil(exc.retry_after or DEFAULT_RETRY_AFTER_S))
    return response


def http_error_handler(request: AnyRequest, exc: HTTPException) -> Problem:
    status = exc.status_code
    extra: dict[str, object] = (
        {"errors": exc.extra} if isinstance(exc, ValidationException) and exc.extra else {}
    )
    detail = _detail(exc)
    if _empty_body(exc):  # Litestar names the missing body by its parameter, "'data'"
        detail = "the request body is empty: send a JSON object (see /docs)"
        extra = {"errors": [{"message": "a JSON object is required", "source": "body"}]}
    if status == 413:
        limit = request.app.state.max_body_bytes
        detail = f"the request body is larger than max_body_bytes ({limit} bytes)"
        extra = {"limit": "max_body_bytes", "limit_value": limit}
    response = problem(
        status, _HTTP_SLUGS.get(status, "http-error"), _title(status), detail, **extra
    )
    response.headers.update(exc.headers or {})
    return response


def _empty_body(exc: HTTPException) -> bool:
    errors = exc.extra if isinstance(exc, ValidationException) else None
    return isinstance(errors, list) and any(
        isinstance(e, dict) and e.get("key") == "data" and e.get("source") == "body" for e in errors
    )


def undecodable_body_handler(request: AnyRequest, exc: UnicodeDecodeError) -> Problem:
    # Raised while the JSON body is decoded: the client sent bytes that are not UTF-8.
    return problem(400, "invalid-request", "Bad Request", "the request body is not valid UTF-8")


def too_deep_handler(request: AnyRequest, exc: RecursionError) -> Problem:
    # The JSON decoder gives up on a body nested thousands of levels deep ("[[[[..."): the
    # client's doing. A RecursionError anywhere else is ours.
    if "deserializing" in str(exc):
        return problem(
            400, "invalid-request", "Bad Request", "the request body is JSON nested too deeply"
        )
    return internal_error_handler(request, exc)


def internal_error_handler(request: AnyRequest, exc: Exception) -> Problem:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(
        500,
        "internal-error",
        "Internal server error",
        "the server failed to handle this request; it has been logged",
    )


def _title(status: int) -> str:
    return HTTPStatus(status).phrase


def _detail(exc: HTTPException) -> str:
    # Litestar's details are meant for clients (no internals); keep them short.
    return str(exc.detail)[:500]


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    UnicodeDecodeError: undecodable_body_handler,
    RecursionError: too_deep_handler,
    Exception: internal_error_handler,
}


class ProblemDetail(BaseModel):
    """RFC 9457 problem details, as every error of this API is sent."""

    type: str = Field(
        description="A URI reference naming the kind of problem, e.g. /problems/not-found."
    )
    title: str
    status: int
    detail: str
    limit: str | None = Field(None, description="For limit refusals: the setting that refused.")
    limit_value: int | None = None
    errors: list[dict[str, Any]] | None = Field(
        None, description="For invalid requests: what was wrong where."
    )


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem details a route can answer."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetail,
            media_type=PROBLEM_JSON,
            generate_examples=False,
            description=HTTPStatus(status).phrase,
        )
        for status in statuses
    }
