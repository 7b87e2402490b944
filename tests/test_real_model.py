"""The llm engine against a real model: SmolLM2-135M-Instruct served by llama.cpp on loopback.

The model is small and writes poor claims; what these tests hold is the contract and honesty
around it: no 5xx, quotes equal to their spans, junk never `verified`, a status that agrees
with the verdicts. Each model call may take CALL_SECONDS (a 504 past that); how long calls take
is measured in bench/real_model.py, not here.
"""

import asyncio
import json

from litestar.testing import TestClient
import pytest

from service.domain.engines.base import LENGTH_SENTENCES
from service.domain.engines.schemas import ANSWER_CLAIMS, Bounds
from service.domain.reading.tokens import tokenizer_for
from service.evals.golden import load_articles
from service.http.app import create_app
from service.settings import Settings
from tests.helpers import assert_invariants

CALL_SECONDS = 180  # a few seconds on 2 idle cores; the margin is for a loaded CI machine
LONG_SECONDS = 600
# On this 2-core machine llama.cpp reads about 130 prompt tokens a second with the 135M model,
# so 20k tokens cost CI 8 minutes: the engine is told of a 3k context instead, less the answer's
# room, which an article of 5k tokens fills several times over (20k and 60k tokens are in
# bench/real_model.py).
LONG_CONTEXT = 3072
# Room for the longest answer the "short" schema allows: with less, a model that runs on is cut
# off (finish_reason: length), a 502 by contract, before the schema's own bounds stop it. (CI
# once saw a part cut off at 512 tokens.)
LONG_OUTPUT = Bounds(claims=LENGTH_SENTENCES["short"], first_id=1, last_id=9999).claims_tokens()
# The same for the other calls: the longest answer any of them allows (the chat answer's).
OUTPUT = Bounds(claims=ANSWER_CLAIMS, first_id=1, last_id=9999).answer_tokens()
LONG_TOKENS = 5_000
# A number the article never gives: the program's own check refuses it whatever the model says
# (a junk claim only the model could catch would test the 135M model's judgement, not ours).
JUNK = "The mayor resigned after 14 councillors protested."


def real_client(
    local_model, folder, call_seconds: float, context_tokens: int, output_tokens: int = OUTPUT
):
    settings = Settings(
        db=str(folder / "footnoted.db"),
        llm_base_url=local_model.base_url,
        llm_model=local_model.model,
        llm_context_tokens=context_tokens,
        llm_output_tokens=output_tokens,
        llm_timeout_s=call_seconds,
        llm_max_retries=0,
    )
    return TestClient(create_app(settings), timeout=900)


@pytest.fixture(scope="module")
def real(local_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    with real_client(local_model, folder, CALL_SECONDS, local_model.ctx) as client:
        yield client


@pytest.fixture(scope="module")
def real_long(local_model, tmp_path_factory):
    """For the long article: a small declared context (LONG_CONTEXT), longer calls allowed."""
    folder = tmp_path_factory.mktemp("long")
    with real_client(local_model, folder, LONG_SECONDS, LONG_CONTEXT, LONG_OUTPUT) as client:
        yield client


def post(client, path: str, body: dict):
    response = client.post(path, json=body)
    assert response.status_code < 500, response.text
    return response


def assert_honest(result: dict) -> None:
    """The status says what the verdicts say, and nothing unsupported passes for verified."""
    verdicts = [c["verdict"] for c in result["claims"]]
    supported = verdicts.count("supported")
    status = result["validation"]["status"]
    assert result["validation"]["supported"] == supported
    if status in ("verified", "repaired"):
        # every claim supported; none at all only for an abstention, which asserts nothing
        assert supported == len(verdicts) and (verdicts or result.get("answerable") is False)
    elif status == "partial":
        assert 0 < supported < len(verdicts) or result["validation"]["removed"]
    else:
        assert supported == 0
    for claim in result["claims"]:
        if claim["verdict"] == "supported":
            assert claim["citations"]


def assert_summary_invariants(client, result: dict) -> None:
    article = client.get(f"/v1/articles/{result['article_id']}").json()
    for claim in result["claims"]:
        assert result["summary"][claim["start"] : claim["end"]] == claim["text"]
        for citation in claim["citations"]:
            assert article["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_a_summary(real, ferry_text):
    body = {"article": {"text": ferry_text}, "engine": "llm", "length": "short"}
    result = post(real, "/v1/summaries", body).json()
    assert result["engine"] == "llm" and result["usage"]["llm_calls"] >= 1
    assert_summary_invariants(real, result)
    assert_honest(result)


def test_chat_plain_then_a_follow_up(real, ferry_text):
    first = [{"role": "user", "content": "How much will the ferries cost?"}]
    body = {"article": {"text": ferry_text}, "messages": first, "engine": "llm"}
    answer = post(real, "/v1/chat", body).json()
    assert_invariants(real, answer)
    assert_honest(answer)
    follow_up = first + [
        {"role": "assistant", "content": answer["answer"]},
        {"role": "user", "content": "Who voted against them?"},
    ]
    body = {"article_id": answer["article_id"], "messages": follow_up, "engine": "llm"}
    second = post(real, "/v1/chat", body).json()
    assert second["usage"]["llm_calls"] >= 2  # the question condensed, then answered
    assert_invariants(real, second)
    assert_honest(second)


def test_chat_streamed_ends_with_the_whole_answer(real, ferry_text):
    question = [{"role": "user", "content": "When should the first boat carry passengers?"}]
    body = {"article": {"text": ferry_text}, "messages": question, "engine": "llm", "stream": True}
    response = post(real, "/v1/chat", body)
    events = [
        line.removeprefix("event: ")
        for line in response.text.splitlines()
        if line.startswith("event: ")
    ]
    assert events[-1] == "done", events
    done = json.loads(response.text.rstrip().splitlines()[-1].removeprefix("data: "))
    assert_invariants(real, done)
    assert_honest(done)


def test_verify_with_the_model_as_judge_never_passes_junk(real, ferry_text):
    text = f"The ferries will cost $18.4 million. {JUNK}"
    body = {"source": ferry_text, "text": text, "judge": True}
    result = post(real, "/v1/verify", body).json()
    assert result["usage"]["llm_calls"] >= 1
    junk = [c for c in result["claims"] if c["text"] == JUNK]
    assert junk and junk[0]["verdict"] != "supported"
    assert result["validation"]["status"] != "verified"
    assert_honest(result)


@pytest.fixture(scope="module")
def long_text() -> str:
    """LONG_TOKENS of the golden articles."""
    parts: list[str] = []
    for golden in load_articles():
        parts.append(f"Dispatch {golden.id}.\n\n{golden.text}")
        if tokenizer_for(None).count("\n\n".join(parts)) >= LONG_TOKENS:
            break
    return "\n\n".join(parts)


def test_a_long_article_is_mapped_and_reduced(real_long, long_text):
    body = {"article": {"text": long_text}, "engine": "llm", "length": "short"}
    result = post(real_long, "/v1/summaries", body).json()
    article = real_long.get(f"/v1/articles/{result['article_id']}").json()
    assert article["tokens"] >= 3 * (LONG_CONTEXT - LONG_OUTPUT)  # several prompts' worth
    assert result["usage"]["llm_calls"] >= 3  # parts, then their combination
    assert_summary_invariants(real_long, result)
    assert_honest(result)


def test_budgets_count_with_the_servers_own_tokenizer(local_model, tmp_path, ferry_text):
    import httpx

    from service.domain.engines.llm import numbered
    from service.domain.reading.article import build_article
    from service.runtime import build_runtime

    settings = Settings(
        db=str(tmp_path / "footnoted.db"),
        llm_base_url=local_model.base_url,
        llm_model=local_model.model,
    )
    runtime = build_runtime(settings)
    engine = runtime.engine("llm")
    budget = engine.budget  # type: ignore[attr-defined]
    assert budget.tokenizer.margin == 0.0 and budget.context_tokens == local_model.ctx
    article = build_article(ferry_text)
    messages = engine.prompts["summarize"].messages(  # type: ignore[attr-defined]
        article=numbered(article.sentences), max_sentences=3, style="paragraph"
    )
    ours = sum(budget.tokenizer.count(m["content"]) for m in messages)
    reply = httpx.post(
        f"{local_model.base_url}/chat/completions",
        json={"model": local_model.model, "messages": messages, "max_tokens": 1},
        timeout=CALL_SECONDS,
    ).json()
    template = reply["usage"]["prompt_tokens"] - ours  # the chat template's own tokens
    assert 0 <= template <= 32, (ours, reply["usage"])
    asyncio.run(runtime.close())
