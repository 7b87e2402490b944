from pathlib import Path
import os

from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


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


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()
