from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.settings import Settings
from tests.helpers import assert_problem

BAD_REQUESTS = [
    ("empty-text", {"article": {"text": ""}}, 400),
    ("whitespace-text", {"article": {"text": "  \n\t "}}, 422),
    ("text-not-a-string", {"article": {"text": 42}}, 400),
    ("article-not-an-object", {"article": "just text"}, 400),
    ("neither-article-nor-id", {"length": "short"}, 422),
    ("both-article-and-id", {"article": {"text": "A b c."}, "article_id": "abc"}, 422),
    ("unknown-article-id", {"article_id": "0" * 32}, 404),
    ("unknown-engine", {"article": {"text": "A sentence here."}, "engine": "gpt"}, 400),
    ("unconfigured-llm", {"article": {"text": "A sentence here."}, "engine": "llm"}, 422),
    ("unknown-length", {"article": {"text": "A sentence here."}, "length": "huge"}, 400),
    ("max-sentences-zero", {"article": {"text": "A sentence here."}, "max_sentences": 0}, 400),
    ("unknown-format", {"article": {"text": "A b.", "format": "pdf"}}, 400),
    ("unknown-field", {"article": {"text": "A b."}, "temperature": 2}, 400),
    (
        "only-furniture",
        {"article": {"text": "Accessibility links\n\nSkip to main content\n\nShare this article"}},
        422,
    ),
]


@pytest.mark.parametrize(
    ("body", "status"), [c[1:] for c in BAD_REQUESTS], ids=[c[0] for c in BAD_REQUESTS]
)
def test_bad_summary_requests_are_problem_details(client, body, status):
    response = client.post("/v1/summaries", json=body)
    assert response.status_code == status
    assert_problem(response, status)


RAW_BODIES = [
    ("invalid-json", b'{"article": {"text": "x"', "application/json", 400),
    ("not-utf8", b'{"article": {"text": "\xff\xfe caf\xe9"}}', "application/json", 400),
    ("empty-body", b"", "application/json", 400),
    ("json-array", b"[1, 2]", "application/json", 400),
    (
        "nested-too-deep",
        b'{"article": {"text": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
        "application/json",
        400,
    ),
    ("form-encoded", b"text=hello", "application/x-www-form-urlencoded", 415),
    ("plain-text", b"hello", "text/plain", 415),
]


@pytest.mark.parametrize(
    ("raw", "media_type", "status"), [c[1:] for c in RAW_BODIES], ids=[c[0] for c in RAW_BODIES]
)
def test_malformed_bodies_are_problem_details(client, raw, media_type, status):
    response = client.post("/v1/summaries", content=raw, headers={"content-type": media_type})
    assert_problem(response, status)


def test_an_empty_body_says_so(client):
    for path in ("/v1/summaries", "/v1/chat", "/v1/verify", "/v1/articles"):
        response = client.post(path, content=b"", headers={"content-type": "application/json"})
        assert_problem(response, 400)
        assert "the request body is empty" in response.json()["detail"]
        assert "'data'" not in response.text


def test_an_article_of_furniture_only_is_refused_with_a_reason(client):
    text = "Accessibility links\n\nSkip to main content\n\nBreaking News\n\nShare this article"
    response = client.post("/v1/summaries", json={"article": {"text": text}})
    assert_problem(response, 422)
    assert "page furniture" in response.json()["detail"]


def test_a_body_over_the_limit_is_413_and_names_it(tmp_path):
    settings = Settings(db=str(tmp_path / "f.db"), max_body_bytes=2048)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/articles", json={"text": "word " * 1000})
    assert_problem(response, 413)
    assert response.json()["limit"] == "max_body_bytes" and "2048" in response.json()["detail"]


def test_an_article_over_the_character_limit_is_422_and_names_it(tmp_path):
    settings = Settings(db=str(tmp_path / "f.db"), max_article_chars=100)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/articles", json={"text": "A sentence. " * 20})
    assert_problem(response, 422)
    assert response.json()["limit"] == "max_article_chars"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/articles/unknown", 404),
        ("DELETE", "/v1/articles/unknown", 404),
        ("GET", "/v1/nothing-here", 404),
        ("PUT", "/v1/summaries", 405),
    ],
    ids=["get-unknown", "delete-unknown", "unknown-route", "wrong-method"],
)
def test_routing_errors_are_problem_details(client, method, path, status):
    assert_problem(client.request(method, path), status)


@pytest.mark.parametrize("error", [RuntimeError, RecursionError])  # ours, not a deep body
def test_an_unexpected_error_is_a_500_problem_without_a_trace(client, monkeypatch, error):
    from service.runtime import Runtime

    def explode(*args, **kwargs):
        raise error("secret internals")

    monkeypatch.setattr(Runtime, "add_article", explode)
    response = client.post("/v1/articles", json={"text": "A b c."})
    assert_problem(response, 500)
    assert "secret internals" not in response.text and "Traceback" not in response.text


@pytest.mark.parametrize(
    ("limits", "path", "body", "limit"),
    [
        (
            {"max_article_tokens": 50},
            "/v1/articles",
            {"text": "A sentence of words. " * 40},
            "max_article_tokens",
        ),
        (
            {"max_message_chars": 20},
            "/v1/chat",
            {
                "article": {"text": "The dam opened."},
                "messages": [{"role": "user", "content": "x" * 21}],
            },
            "max_message_chars",
        ),
        (
            {"max_messages": 2},
            "/v1/chat",
            {
                "article": {"text": "The dam opened."},
                "messages": [{"role": "user", "content": "Q?"}] * 3,
            },
            "max_messages",
        ),
        (
            {"max_summary_sentences": 5},
            "/v1/summaries",
            {"article": {"text": "The dam opened."}, "max_sentences": 6},
            "max_summary_sentences",
        ),
        (
            {"max_verify_claims": 3},
            "/v1/verify",
            {
                "source": "The dam opened.",
                "text": "One claim. Two claims. Three claims. Four claims.",
            },
            "max_verify_claims",
        ),
    ],
    ids=["article-tokens", "message-chars", "messages", "summary-sentences", "verify-claims"],
)
def test_each_limit_refuses_with_a_422_that_names_it(tmp_path, limits, path, body, limit):
    settings = Settings(db=str(tmp_path / "f.db"), **limits)
    with TestClient(create_app(settings)) as client:
        response = client.post(path, json=body)
    assert_problem(response, 422)
    assert response.json()["limit"] == limit and str(limits[limit]) in response.json()["detail"]
