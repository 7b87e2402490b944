"""The served OpenAPI document says what the server does.

Each test here pins a mismatch that fuzzing with schemathesis (tests/test_fuzz.py) found: bodies
the document allowed but the server refused (unknown fields), bodies the server took though the document refused them (0 for false, "2" for 2),
an OPTIONS answer that left out DELETE, /metrics documented as JSON, /readyz's 503, the chat
event stream, and (with API keys configured) the key and its 401 and 429 undocumented.
"""

import json
import re

import jsonschema_rs
from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.settings import Settings
from service.store import SQLiteStore

PROBLEM = "application/problem+json"
TEXT = (
    "The Port Alder city council voted 6-3 on Tuesday to buy two electric ferries. "
    "The ferries will cost $18.4 million. Mayor Ruth Okafor said the first boat should sail "
    "by June 2028."
)
ARTICLE = {"text": TEXT}
QUESTION = [{"role": "user", "content": "How much will the ferries cost?"}]


@pytest.fixture
def document(client) -> dict:
    return client.get("/docs/openapi.json").json()


def component(document: dict, schema: dict) -> jsonschema_rs.Validator:
    """A validator for `schema`, its references resolved in the document's components."""
    return jsonschema_rs.validator_for({**schema, "components": document["components"]})


def request_schema(document: dict, path: str) -> dict:
    return document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


BODIES = [
    # The document and the server agree on each of these, one way or the other.
    ("/v1/summaries", {"article": ARTICLE}),
    ("/v1/summaries", {"article": ARTICLE, "article_id": None}),
    ("/v1/summaries", {"article": ARTICLE, "max_sentences": 2.0}),
    ("/v1/summaries", {"article": ARTICLE, "temperature": 2}),
    ("/v1/summaries", {"article": ARTICLE | {"language": "en"}}),
    ("/v1/summaries", {"article": ARTICLE, "article_id": "abc"}),
    ("/v1/summaries", {"article": None, "article_id": None}),
    ("/v1/summaries", {"length": "short"}),
    ("/v1/summaries", {"article": ARTICLE, "max_sentences": "2"}),
    ("/v1/summaries", {"article": ARTICLE, "max_sentences": True}),
    ("/v1/summaries", {"article": ARTICLE, "max_sentences": 2.5}),
    ("/v1/chat", {"article": ARTICLE, "messages": QUESTION}),
    ("/v1/chat", {"article": ARTICLE, "messages": QUESTION, "stream": 0}),
    ("/v1/chat", {"article": ARTICLE, "messages": QUESTION, "article_id": "abc"}),
    ("/v1/chat", {"article": ARTICLE, "messages": QUESTION, "seed": 1}),
    ("/v1/verify", {"source": TEXT, "text": "The ferries will cost $18.4 million."}),
    ("/v1/verify", {"source": TEXT, "source_id": None, "text": "The council voted 6-3."}),
    ("/v1/verify", {"source": TEXT, "source_id": "abc", "text": "The council voted 6-3."}),
    ("/v1/verify", {"source": TEXT, "text": "The council voted 6-3.", "judge": 0}),
    ("/v1/verify", {"text": "The council voted 6-3."}),
    ("/v1/articles", ARTICLE),
    ("/v1/articles", ARTICLE | {"author": "R. Okafor"}),
]


# The choice of an article or its id is a plain pair of optional fields in the schema (client
# generators drop fields beside a `oneOf`); both or neither is then a documented 422.
CHOICE = {"/v1/summaries": ("article", "article_id"), "/v1/chat": ("article", "article_id")}
CHOICE["/v1/verify"] = ("source", "source_id")


def names_one_source(path: str, body: dict) -> bool:
    fields = CHOICE.get(path)
    return fields is None or sum(body.get(name) is not None for name in fields) == 1


def _body_id(case: tuple[str, dict]) -> str:
    path, body = case
    shown = {
        k: ("..." if k in ("article", "source", "text", "messages") else v) for k, v in body.items()
    }
    return f"{path} {json.dumps(shown)}"


@pytest.mark.parametrize(("path", "body"), BODIES, ids=[_body_id(c) for c in BODIES])
def test_the_server_refuses_a_body_exactly_when_the_document_does(client, document, path, body):
    allowed = component(document, request_schema(document, path)).is_valid(body)
    response = client.post(path, json=body)
    if allowed and names_one_source(path, body):
        assert response.status_code in (200, 201), response.text
    elif allowed:
        assert response.status_code == 422, response.text
        assert "give exactly one of" in response.json()["detail"]
    else:
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == PROBLEM


def test_request_bodies_are_documented_as_closed(document):
    for name in ("ArticleIn", "SummaryRequest", "ChatRequest", "VerifyRequest"):
        assert document["components"]["schemas"][name]["additionalProperties"] is False


def _concrete(path: str) -> str:
    return path.replace("{article_id}", "0" * 32)


def test_options_allows_every_documented_method_of_each_path(client, document):
    # Litestar 2 listed only GET for /v1/articles/{article_id} (litestar-org/litestar#4169).
    for path, operations in document["paths"].items():
        documented = {method.upper() for method in operations} | {"OPTIONS"}
        response = client.options(_concrete(path))
        assert response.status_code == 204
        assert {m.strip() for m in response.headers["allow"].split(",")} == documented, path


def test_a_wrong_method_is_405_naming_the_same_methods_as_options(client, document):
    for path, operations in document["paths"].items():
        wrong = next(m for m in ("put", "patch", "post", "get") if m not in operations)
        response = client.request(wrong.upper(), _concrete(path))
        assert response.status_code == 405 and response.headers["content-type"] == PROBLEM
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed == {method.upper() for method in operations} | {"OPTIONS"}, path


def test_every_documented_error_is_a_problem_detail(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == [PROBLEM], (method, path, status)
                    schema = response["content"][PROBLEM]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ProblemDetail"}


def test_metrics_are_documented_as_the_text_they_are(client, document):
    documented = list(document["paths"]["/metrics"]["get"]["responses"]["200"]["content"])
    served = client.get("/metrics").headers["content-type"]
    assert [d.split(";")[0] for d in documented] == ["text/plain"]
    assert served.startswith(documented[0])


def test_a_store_that_does_not_answer_is_a_documented_503(client, document, monkeypatch):
    async def not_ready(self) -> bool:
        return False

    monkeypatch.setattr(SQLiteStore, "ping", not_ready)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.headers["content-type"] == PROBLEM
    documented = document["paths"]["/readyz"]["get"]["responses"]["503"]["content"][PROBLEM]
    assert component(document, documented["schema"]).is_valid(response.json())


def _events(text: str) -> list[dict]:
    events = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append(fields)
    return events


def _event_schemas(document: dict) -> dict[str, dict]:
    """event name -> the schema of its `data` (a JSON document)."""
    stream = document["paths"]["/v1/chat"]["post"]["responses"]["200"]["content"]
    branches = stream["text/event-stream"]["schema"]["oneOf"]
    return {b["properties"]["event"]["const"]: b["properties"]["data"] for b in branches}


@pytest.mark.parametrize(
    "question",
    [QUESTION, [{"role": "user", "content": "Who won the cup?"}]],
    ids=["answerable", "unanswerable"],
)
def test_each_chat_event_is_documented_with_its_data(client, document, question):
    schemas = _event_schemas(document)
    assert set(schemas) == {"delta", "claim", "done", "error"}
    response = client.post(
        "/v1/chat", json={"article": ARTICLE, "messages": question, "stream": True}
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert events[-1]["event"] == "done"
    for event in events:
        data = schemas[event["event"]]
        assert data["contentMediaType"] == "application/json"
        assert component(document, data["contentSchema"]).is_valid(json.loads(event["data"]))


def test_a_rate_limited_model_is_a_503_with_the_documented_retry_after(llm_settings, fake_model):
    settings = llm_settings.model_copy(update={"llm_model": "rate-limit"})
    with TestClient(create_app(settings)) as client:
        document = client.get("/docs/openapi.json").json()
        response = client.post("/v1/summaries", json={"article": ARTICLE})
    assert response.status_code == 503 and response.headers["content-type"] == PROBLEM
    busy = document["paths"]["/v1/summaries"]["post"]["responses"]["503"]
    header = busy["headers"]["Retry-After"]
    assert header["required"] is True
    assert int(response.headers["retry-after"]) >= header["schema"]["minimum"]


def test_without_api_keys_the_document_asks_for_none(document):
    assert "securitySchemes" not in document["components"]
    assert all("security" not in op for ops in document["paths"].values() for op in ops.values())


def test_with_api_keys_the_401_and_429_of_v1_are_documented_and_sent_so(tmp_path):
    settings = Settings(
        db=str(tmp_path / "f.db"), api_keys="k1", rate_limit_per_minute=1, rate_limit_burst=1
    )
    with TestClient(create_app(settings)) as client:
        document = client.get("/docs/openapi.json").json()
        unauthorized = client.post("/v1/articles", json=ARTICLE)
        first = client.post("/v1/articles", json=ARTICLE, headers={"Authorization": "Bearer k1"})
        limited = client.post("/v1/articles", json=ARTICLE, headers={"Authorization": "Bearer k1"})
        health = client.get("/healthz")
    scheme = document["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    operation = document["paths"]["/v1/articles"]["post"]
    assert operation["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/healthz"]["get"] and health.status_code == 200
    assert first.status_code == 201
    for response, status, header in (
        (unauthorized, 401, "WWW-Authenticate"),
        (limited, 429, "Retry-After"),
    ):
        assert response.status_code == status and response.headers["content-type"] == PROBLEM
        documented = operation["responses"][str(status)]
        assert documented["headers"][header]["required"] is True and header in response.headers
        schema = documented["content"][PROBLEM]["schema"]
        assert component(document, schema).is_valid(response.json())


def test_the_docs_page_loads_nothing_from_another_host(client):
    page = client.get("/docs").text
    assert not re.findall(r"""(?:src|href)=["']https?://""", page)
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", page)
    assert len(assets) == 4  # the bundle, the preset, the style sheet, the icon
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
