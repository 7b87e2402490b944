"""A 60,000-token article through map-reduce, end to end over the real SDK."""

import pytest

from service.domain.reading.tokens import tokenizer_for
from service.evals.golden import load_articles


@pytest.fixture(scope="module")
def long_text() -> str:
    goldens = load_articles()
    parts, copy = [], 0
    while tokenizer_for(None).count("\n\n".join(parts)) < 60_000:
        parts += [f"Dispatch {copy}-{g.id}.\n\n{g.text}" for g in goldens]
        copy += 1
    return "\n\n".join(parts)


def test_a_60k_token_article_is_mapped_and_reduced_with_provenance(
    llm_client, fake_model, long_text
):
    response = llm_client.post(
        "/v1/summaries", json={"article": {"text": long_text}, "length": "medium"}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    article = llm_client.get(f"/v1/articles/{result['article_id']}").json()
    assert article["tokens"] >= 60_000
    assert result["claims"] and result["validation"]["status"] == "verified"
    for claim in result["claims"]:
        assert claim["citations"]
        for citation in claim["citations"]:
            assert article["text"][citation["start"] : citation["end"]] == citation["quote"]
    tasks = [
        "\n".join(m["content"] for m in r["messages"])
        for r in fake_model.model.requests[-result["usage"]["llm_calls"] :]
    ]
    maps = sum("Task: summarize" in t for t in tasks)
    combines = sum("Task: combine" in t for t in tasks)
    assert maps >= 8 and combines >= 1 and maps + combines == result["usage"]["llm_calls"]
    assert result["usage"]["prompt_tokens"] > 60_000 // 4
