"""A client generated from the served OpenAPI document works (issue #13, item 5).

openapi-python-client turns /docs/openapi.json of a running `footnoted serve` into a Python
package; the test imports it and uses it to store an article, summarize it by id and chat about
it by id. Request bodies that put fields beside a `oneOf` made the generator drop them (the chat
request had no `messages`), so this test fails if the document models the article-or-id choice
that way again.
"""

import importlib
from pathlib import Path
import shutil
import subprocess
import sys

import httpx
import pytest

from tests.helpers import fixture_text, running_server

GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PACKAGE = "footnoted_client"
REQUESTS = {
    "ChatRequest": {"article", "article_id", "messages", "stream", "engine"},
    "SummaryRequest": {"article", "article_id", "length", "max_sentences", "style", "engine"},
    "VerifyRequest": {"source", "source_id", "text", "judge"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    with running_server(folder / "server.log", {"FOOTNOTED_DB": str(folder / "f.db")}) as (url, _):
        yield url, folder


@pytest.fixture(scope="module")
def generated(server):
    """The generated package, imported from a folder of its own."""
    url, folder = server
    document = folder / "openapi.json"
    document.write_bytes(httpx.get(f"{url}/docs/openapi.json").content)
    done = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(document), "--meta", "none"]
        + ["--output-path", str(folder / PACKAGE)],
        capture_output=True,
        text=True,
        cwd=folder,
        env={"PATH": str(GENERATOR.parent)},  # its post-hooks run ruff from the venv
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
        shutil.rmtree(folder / PACKAGE)


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_the_generated_request_types_declare_every_field(generated):
    models = _module("models")
    fields = {name: {a.name for a in getattr(models, name).__attrs_attrs__} for name in REQUESTS}
    for name, expected in REQUESTS.items():
        assert expected <= fields[name], name


def test_store_summarize_and_chat_by_id_with_the_generated_client(server, generated):
    url, _ = server
    models = _module("models")
    create_article = _module("api.articles.create_article")
    create_summary = _module("api.summaries.create_summary")
    chat = _module("api.chat.chat")
    with generated.Client(base_url=url, raise_on_unexpected_status=True, timeout=60) as client:
        _store_summarize_chat(client, models, create_article, create_summary, chat)


def _store_summarize_chat(client, models, create_article, create_summary, chat) -> None:
    stored = create_article.sync(
        client=client, body=models.ArticleIn(text=fixture_text("harbor-ferry.txt"))
    )
    assert isinstance(stored, models.Article) and stored.id

    summary = create_summary.sync(
        client=client, body=models.SummaryRequest(article_id=stored.id, max_sentences=2)
    )
    assert isinstance(summary, models.GroundedSummary)
    assert summary.article_id == stored.id and 1 <= len(summary.claims) <= 2
    for claim in summary.claims:
        for citation in claim.citations:
            assert stored.text[citation.start : citation.end] == citation.quote

    question = models.ChatMessage(
        role=models.ChatMessageRole.USER, content="How much will the ferries cost?"
    )
    answer = chat.sync(
        client=client, body=models.ChatRequest(article_id=stored.id, messages=[question])
    )
    assert isinstance(answer, models.GroundedAnswer)
    assert answer.article_id == stored.id and answer.answerable
    assert "18.4" in answer.answer


def test_a_body_naming_no_article_is_a_problem_the_client_can_read(server, generated):
    url, _ = server
    models = _module("models")
    create_summary = _module("api.summaries.create_summary")
    with generated.Client(base_url=url, timeout=60) as client:
        refused = create_summary.sync(client=client, body=models.SummaryRequest())
    assert isinstance(refused, models.ProblemDetail)
    assert refused.status == 422 and "exactly one of `article` and `article_id`" in refused.detail
