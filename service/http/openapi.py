"""What Litestar's generated OpenAPI document leaves out, put back so that it says what we do.

Litestar builds component schemas from pydantic fields alone: a model's `extra="forbid"` is not in
the document, so a client following it could send a body that we refuse with 400. (The choice of
an article or its id stays out of the schema on purpose: see `schemas.exactly_one`.) It cannot describe the chat's event stream beside its JSON answer, nor the
Retry-After header of a rate-limited model, nor the API keys that /v1 needs when keys are
configured. The document is refined once, when the app is built; `tests/test_fuzz.py` holds the
server to it.
"""

import inspect

from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    PathItem,
    Reference,
    Schema,
    SecurityScheme,
)
from pydantic import BaseModel

from .problems import PROBLEM_JSON
from .schemas import ArticleIn, ChatRequest, SummaryRequest, VerifyRequest
from .security import PROTECTED_PREFIX


def _ref(name: str) -> Reference:
    return Reference(ref=f"#/components/schemas/{name}")


def _json_text(schema: Schema | Reference) -> Schema:
    """A string holding a JSON document (an event's `data`)."""
    return Schema(
        type=OpenAPIType.STRING, content_media_type="application/json", content_schema=schema
    )


_STRING = Schema(type=OpenAPIType.STRING)

# Bodies that refuse unknown fields.
CLOSED_MODELS: tuple[type[BaseModel], ...] = (ArticleIn, SummaryRequest, ChatRequest, VerifyRequest)

# One event of the chat stream. Before Open API 3.2 (`itemSchema`), the schema of a
# text/event-stream describes each event: an object with `event` and `data`.
CHAT_EVENT = Schema(
    type=OpenAPIType.OBJECT,
    required=["event", "data"],
    description="`stream: true`: `delta` events (provisional text), one `claim` event per verified "
    "claim, then `done` with the same JSON as the plain response; a failure after the stream "
    "began is an `error` event with a problem detail.",
    one_of=[
        Schema(
            properties={
                "event": Schema(const="delta"),
                "data": _json_text(
                    Schema(
                        type=OpenAPIType.OBJECT,
                        required=["text"],
                        properties={"text": Schema(type=OpenAPIType.STRING)},
                    )
                ),
            }
        ),
        Schema(properties={"event": Schema(const="claim"), "data": _json_text(_ref("Claim"))}),
        Schema(
            properties={"event": Schema(const="done"), "data": _json_text(_ref("GroundedAnswer"))}
        ),
        Schema(
            properties={"event": Schema(const="error"), "data": _json_text(_ref("ProblemDetail"))}
        ),
    ],
)

# A rate-limited model (503) always says when to come back.
RETRY_AFTER = OpenAPIHeader(
    schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
    required=True,
    description="Seconds to wait before trying again.",
)
MODEL_ROUTES = ("/v1/summaries", "/v1/chat", "/v1/verify")

# With API keys configured, /v1 needs `Authorization: Bearer <key>` and is rate limited per key.
BEARER = SecurityScheme(
    type="http",
    scheme="bearer",
    description="An API key of FOOTNOTED_API_KEYS (only when keys are set).",
)


def _problem(
    description: str, headers: dict[str, OpenAPIHeader | Reference] | None = None
) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description,
        headers=headers,
        content={PROBLEM_JSON: OpenAPIMediaType(schema=_ref("ProblemDetail"))},
    )


def _operations(item: PathItem) -> list[Operation]:
    methods = ("get", "put", "post", "delete", "patch")
    return [op for op in (getattr(item, m) for m in methods) if op is not None]


def _post_response(openapi: OpenAPI, path: str, status: str) -> OpenAPIResponse:
    """A response that Litestar documented for the POST route at `path`."""
    operation = (openapi.paths or {})[path].post
    response = operation.responses[status] if operation and operation.responses else None
    if not isinstance(response, OpenAPIResponse):
        raise LookupError(f"POST {path} documents no {status} response")
    return response


def _split_nullable_enum(field: Schema) -> None:
    """`{"type": ["null", "string"], "enum": ["a", "b", null]}` as a string enum or null, which
    client generators read as one enum type (they made three classes of the former)."""
    nullable_string = isinstance(field.type, list) and set(field.type) == {
        OpenAPIType.STRING,
        OpenAPIType.NULL,
    }
    if nullable_string and field.enum:
        values = [v for v in field.enum if v is not None]
        field.one_of = [
            Schema(type=OpenAPIType.STRING, enum=values),
            Schema(type=OpenAPIType.NULL),
        ]
        field.type = field.enum = None


def refine(openapi: OpenAPI, *, api_keys: bool = False) -> OpenAPI:
    schemas = openapi.components.schemas
    for schema in schemas.values():
        for field in (schema.properties or {}).values():
            if isinstance(field, Schema):
                _split_nullable_enum(field)
    for model in CLOSED_MODELS:
        if model.model_config.get("extra") != "forbid":
            raise TypeError(f"{model.__name__} is listed as refusing unknown fields but takes them")
        schemas[model.__name__].additional_properties = False
        schemas[model.__name__].description = inspect.cleandoc(model.__doc__ or "") or None
    chat_ok = _post_response(openapi, "/v1/chat", "200")
    chat_ok.content = {
        **(chat_ok.content or {}),
        "text/event-stream": OpenAPIMediaType(schema=CHAT_EVENT),
    }
    for path in MODEL_ROUTES:
        busy = _post_response(openapi, path, "503")
        busy.headers = {**(busy.headers or {}), "Retry-After": RETRY_AFTER}
    if api_keys:
        openapi.components.security_schemes = {"bearer": BEARER}
        for path, item in (openapi.paths or {}).items():
            if path.startswith(PROTECTED_PREFIX):
                for operation in _operations(item):
                    operation.security = [{"bearer": []}]
                    operation.responses = {
                        **(operation.responses or {}),
                        "401": _problem(
                            "No valid API key",
                            headers={
                                "WWW-Authenticate": OpenAPIHeader(schema=_STRING, required=True)
                            },
                        ),
                        "429": _problem(
                            "Rate limit of the key exceeded", headers={"Retry-After": RETRY_AFTER}
                        ),
                    }
    return openapi
