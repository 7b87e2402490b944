"""Optional API keys and per-key rate limits."""

from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.http.security import TokenBucket
from service.settings import Settings
from tests.helpers import assert_problem


@pytest.fixture
def keyed(tmp_path):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        api_keys="key-one, key-two",
        rate_limit_per_minute=1,  # no token comes back while a test runs
        rate_limit_burst=3,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def bearer(key):
    return {"authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("wrong"),
        {"authorization": "key-one"},
        {"authorization": "Basic a2V5LW9uZQ=="},
        {"authorization": "Basic key-one"},
        bearer(""),
    ],
    ids=["none", "wrong-key", "no-scheme", "basic", "basic-raw-key", "empty"],
)
def test_v1_needs_a_valid_key(keyed, headers):
    response = keyed.get("/v1/articles/x", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/articles/x"),
        ("POST", "/v1/articles"),
        ("POST", "/v1/summaries"),
        ("POST", "/v1/chat"),
        ("POST", "/v1/verify"),
    ],
)
def test_every_v1_route_needs_a_key_even_behind_a_root_path(tmp_path, method, path):
    # Behind a proxy that mounts the API under /api, the URL no longer starts with /v1.
    settings = Settings(db=str(tmp_path / "f.db"), api_keys="key-one")
    with TestClient(create_app(settings), root_path="/api") as client:
        response = client.request(method, path, json={"text": "The dam opened on Monday."})
    assert_problem(response, 401)


@pytest.mark.parametrize("key", ["key-one", "key-two"])
def test_any_configured_key_is_let_in(keyed, key):
    assert keyed.get("/v1/articles/x", headers=bearer(key)).status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/docs/openapi.json"])
def test_health_metrics_and_docs_stay_open(keyed, path):
    assert keyed.get(path).status_code == 200


def test_each_key_has_its_own_bucket(keyed):
    statuses = [
        keyed.get("/v1/articles/x", headers=bearer("key-one")).status_code for _ in range(5)
    ]
    assert statuses[:3] == [404, 404, 404] and statuses[3] == 429
    limited = keyed.get("/v1/articles/x", headers=bearer("key-one"))
    assert_problem(limited, 429)
    assert int(limited.headers["retry-after"]) >= 1
    assert keyed.get("/v1/articles/x", headers=bearer("key-two")).status_code == 404


def test_without_keys_everything_is_open(client):
    assert client.get("/v1/articles/x").status_code == 404


def test_the_bucket_refills_at_its_rate():
    bucket = TokenBucket(rate=2.0, capacity=2.0, stamp=0.0)
    assert [bucket.take(0.0), bucket.take(0.0)] == [0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(0.5)
    assert bucket.take(0.5) == 0.0
