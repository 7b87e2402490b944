"""/docs that works offline: Swagger UI's files come from the pinned `swagger-ui-py` package and
are served by the app itself (Litestar's default loads them from a CDN, so behind a firewall the
page was blank)."""

from importlib.util import find_spec
from pathlib import Path

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router

ASSETS = "/static/swagger-ui"


def swagger_folder() -> Path:
    """The package's folder of Swagger UI files (found without importing the package)."""
    spec = find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the swagger-ui-py package is missing: reinstall footnoted")
    return Path(spec.submodule_search_locations[0]) / "static"


def swagger_plugin() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
    )


def swagger_assets() -> Router:
    return create_static_files_router(
        path=ASSETS,
        directories=[swagger_folder()],
        name="swagger-ui",
        cache_control=CacheControlHeader(max_age=86400, public=True),
    )
