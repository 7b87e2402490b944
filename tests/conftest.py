import os

from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.model_client.scripted_server import FakeModelServer
from service.settings import Settings
from tests.helpers import FIXTURES


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
