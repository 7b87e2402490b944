"""The playground page at `/`: plain HTML (playground.html), CSS and JavaScript (`static/`),
calling the same /v1 API as any client. Its Content-Security-Policy lets it reach this origin
only, so the page can never load or send anything elsewhere."""

from functools import cache
from pathlib import Path
from typing import Any

from litestar import Request, Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.static_files import create_static_files_router

from .security import Gate

PAGE = Path(__file__).parent / "playground.html"
STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@get(
    "/",
    include_in_schema=False,
    sync_to_thread=False,
    cache_control=CacheControlHeader(no_cache=True),
)
def playground(request: Request[Any, Any, Any]) -> Response[str]:
    gate: Gate = request.app.state["gate"]
    return Response(
        page(gate.enabled), media_type="text/html", headers={"Content-Security-Policy": CSP}
    )


@cache
def page(keys: bool) -> str:
    """The page, read once: it asks for an API key only when the server has keys configured."""
    return PAGE.read_text().replace("{{KEYS}}", "required" if keys else "none")


def playground_assets() -> Router:
    return create_static_files_router(
        path="/static",
        directories=[STATIC],
        name="playground",
        cache_control=CacheControlHeader(no_cache=True),
    )
