"""Chat on the `llm` engine through the real SDK against the scripted server."""

import pytest

from service.domain.pipeline.chat import NOT_IN_ARTICLE
from tests.helpers import assert_invariants


def chat(client, text, messages, **body):
    payload = {
        "article": {"text": text},
        "messages": [{"role": r, "content": c} for r, c in messages],
    }
    return client.post("/v1/chat", json=payload | body)


def test_an_answer_cites_the_article(llm_client, ferry_text):
    result = chat(
        llm_client, ferry_text, [("user", "How much will the new electric ferries cost?")]
    ).json()
    assert_invariants(llm_client, result)
    assert result["engine"] == "llm" and result["answerable"] is True
    assert "$18.4 million" in result["answer"] and result["validation"]["status"] == "verified"
    assert result["usage"]["llm_calls"] == 1  # no history: nothing to condense


def test_the_model_abstaining_gives_no_citations(llm_client, ferry_text):
    result = chat(llm_client, ferry_text, [("user", "Quelle est la météo?")]).json()
    assert_invariants(llm_client, result)
    assert result["answerable"] is False and result["claims"] == []
    assert result["answer"].startswith(NOT_IN_ARTICLE)


def test_a_follow_up_is_condensed_with_the_history(llm_client, fake_model, ferry_text):
    messages = [
        ("user", "Who voted against the ferry plan?"),
        ("assistant", "Councilman Dev Prakash voted against it."),
        ("user", "What did he warn about battery prices?"),
    ]
    result = chat(llm_client, ferry_text, messages).json()
    assert result["usage"]["llm_calls"] == 2
    condense, answer = fake_model.model.requests[-2:]
    assert "Task: condense" in condense["messages"][0]["content"]
    assert "Dev Prakash voted against it" in condense["messages"][1]["content"]
    assert "Task: answer" in answer["messages"][1]["content"]
    assert "context only, not a source" in answer["messages"][1]["content"]
    assert_invariants(llm_client, result)


@pytest.mark.parametrize("model", ["invent-ids", "wrong-sentence", "unsupported"])
def test_bad_answers_are_never_reported_supported(llm_client, ferry_text, model):
    result = chat(
        llm_client,
        ferry_text,
        [("user", "How much will the new electric ferries cost?")],
        model=model,
    ).json()
    assert_invariants(llm_client, result)
    assert result["answerable"] is True and result["claims"]
    assert all(c["verdict"] != "supported" for c in result["claims"])
    assert result["validation"]["status"] == "failed"


def test_a_long_article_sends_only_the_relevant_sentences(tmp_path, fake_model, ferry_text):
    from litestar.testing import TestClient

    from service.http.app import create_app
    from service.settings import Settings

    filler = "\n\n".join(
        f"Paragraph {i} is about the weather in Dunmore, which was mild and dry."
        for i in range(400)
    )
    text = f"{filler}\n\n{ferry_text}"
    settings = Settings(
        db=str(tmp_path / "f.db"),
        llm_base_url=fake_model.base_url,
        llm_model="good",
        llm_context_tokens=2048,
        llm_output_tokens=256,
    )
    with TestClient(create_app(settings)) as client:
        result = chat(
            client, text, [("user", "How much will the new electric ferries cost?")]
        ).json()
    prompt = fake_model.model.requests[-1]["messages"][1]["content"]
    assert "The ferries will cost $18.4 million" in prompt
    assert prompt.count("weather in Dunmore") < 100
    assert "$18.4 million" in result["answer"]
