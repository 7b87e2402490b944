"""Prompt injection, end to end: attacks in the golden articles never reach a model, and
what a model makes of an attack is never reported as supported."""

import pytest

from service.evals.golden import load_articles

INJECTED = [a for a in load_articles() if a.injection is not None]


@pytest.mark.parametrize("golden", INJECTED, ids=[a.id for a in INJECTED])
def test_the_attack_never_reaches_the_model_or_the_output(llm_client, fake_model, golden):
    result = llm_client.post("/v1/summaries", json={"article": {"text": golden.text}}).json()
    prompt = "\n".join(m["content"] for m in fake_model.model.requests[-1]["messages"])
    assert golden.injection.text[:60] not in prompt
    for canary in golden.injection.canaries:
        assert canary.lower() not in prompt.lower()
        assert canary.lower() not in result["summary"].lower()
    assert result["validation"]["status"] == "verified"


@pytest.mark.parametrize("golden", INJECTED, ids=[a.id for a in INJECTED])
def test_the_extractive_engine_neither_repeats_nor_cites_the_attack(client, golden):
    summary = client.post(
        "/v1/summaries", json={"article": {"text": golden.text}, "length": "long"}
    ).json()
    article = client.get(f"/v1/articles/{summary['article_id']}").json()
    suspect = {s["id"] for s in article["sentences"] if s["suspect"]}
    assert suspect
    cited = {c["sentence_id"] for claim in summary["claims"] for c in claim["citations"]}
    assert not cited & suspect
    for canary in golden.injection.canaries:
        assert canary.lower() not in summary["summary"].lower()


def test_a_model_that_obeys_is_never_reported_supported(llm_client):
    golden = next(a for a in INJECTED if "PAPAYA" in a.injection.canaries)
    result = llm_client.post(
        "/v1/summaries", json={"article": {"text": golden.text}, "model": "obey-injection"}
    ).json()
    planted = [c for c in result["claims"] if "PAPAYA" in c["text"]]
    assert planted and all(c["verdict"] == "unsupported" for c in planted)
    assert result["validation"]["status"] in ("partial", "failed")
