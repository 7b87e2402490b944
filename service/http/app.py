"""The Litestar application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.plugins.pydantic import PydanticPlugin
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from .. import __version__
from ..model_client.local_model import local_llm
from ..runtime import Runtime, build_runtime
from ..settings import Settings, load_settings
from .api_docs import swagger_assets, swagger_plugin
from .controllers import ArticlesController, ChatController, SummariesController, VerifyController
from .observability import PROMETHEUS, RequestContext
from .openapi import refine
from .playground import playground, playground_assets
from .problems import EXCEPTION_HANDLERS, problem, problem_responses
from .security import Gate

JSON_TYPES = ("application/json", "application/problem+json")
# Prometheus' text format; Litestar adds the charset of text responses itself.
PROMETHEUS_TEXT = ";".join(p for p in CONTENT_TYPE_LATEST.split(";") if "charset" not in p)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    holder: dict[str, Runtime] = {}

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # With FOOTNOTED_LLM_GGUF, a local llama.cpp server runs as long as the app does.
        async with local_llm(settings) as running:
            holder["runtime"] = runtime = build_runtime(running)
            try:
                await runtime.open()
                if runtime.counters is not None:  # replicas share each key's bucket
                    gate.limiter = runtime.counters.rate_limiter(
                        settings.rate_limit_per_minute, settings.rate_limit_burst
                    )
                yield
            finally:
                await holder.pop("runtime").close()

    gate = Gate(settings.api_key_list, settings.rate_limit_per_minute, settings.rate_limit_burst)

    def provide_runtime() -> Runtime:
        return holder["runtime"]

    app = Litestar(
        route_handlers=[
            ArticlesController,
            SummariesController,
            ChatController,
            VerifyController,
            healthz,
            readyz,
            metrics,
            playground,
            playground_assets(),
            swagger_assets(),
        ],
        dependencies={"runtime": Provide(provide_runtime, sync_to_thread=False)},
        lifespan=[lifespan],
        before_request=require_json,
        exception_handlers=EXCEPTION_HANDLERS,
        logging_config=None,  # logging is configured once by `footnoted serve`
        middleware=[PROMETHEUS.middleware],
        # Bodies are checked strictly, as the OpenAPI document describes them: 0 is not false,
        # "5" is not 5 (Litestar's default validates pydantic models in lax mode).
        plugins=[PydanticPlugin(validate_strict=True)],
        request_max_body_size=settings.max_body_bytes,
        state=State(
            {
                "max_body_bytes": settings.max_body_bytes,
                "gate": gate,
            }
        ),
        openapi_config=OpenAPIConfig(
            title="footnoted",
            version=__version__,
            path="/docs",
            description="Summaries and answers whose every sentence cites checked article spans.",
            render_plugins=[swagger_plugin()],
        ),
    )
    # Outside the router, as Litestar itself wraps CORS: every request gets an id and a log line.
    app.asgi_handler = RequestContext(app.asgi_handler)
    # Built once, now, and served as refined.
    refine(app.openapi_schema, api_keys=bool(settings.api_key_list))
    return app


async def require_json(request: Request[Any, Any, Any]) -> None:
    """Bodies are JSON: anything else is 415 before it is parsed."""
    if request.method in ("POST", "PUT", "PATCH"):
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in JSON_TYPES:
            raise HTTPException(
                status_code=415, detail=f"send the body as application/json, not {media_type!r}"
            )


@get("/healthz", tags=["health"], operation_id="healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get(
    "/readyz",
    tags=["health"],
    operation_id="readyz",
    summary="Readiness",
    responses=problem_responses(503),
    description="Ready when every backend answers: the store (SQLite or PostgreSQL), Redis when "
    "one is configured, the model endpoint when one is configured. `backends` names each, "
    "`ok` or `down`, in the 200 and in the 503 problem detail alike.",
)
async def readyz(runtime: NamedDependency[Runtime]) -> Response[dict[str, object]]:
    answers = await runtime.backends()
    backends = {name: "ok" if up else "down" for name, up in answers.items()}
    if not all(answers.values()):
        down = ", ".join(name for name, up in answers.items() if not up)
        response = problem(503, "not-ready", "Not ready", f"no answer from: {down}")
        response.content["backends"] = backends
        response.headers["Retry-After"] = "2"
        return response
    ready: dict[str, object] = {"status": "ready", "engine": runtime.settings.default_engine}
    ready["backends"] = backends
    return Response(ready)


@get(
    "/metrics",
    tags=["health"],
    operation_id="metrics",
    summary="Prometheus metrics",
    media_type=PROMETHEUS_TEXT,
    sync_to_thread=False,
    description="Requests and latency by route, in the Prometheus text format.",
)
def metrics() -> bytes:
    return generate_latest(REGISTRY)
