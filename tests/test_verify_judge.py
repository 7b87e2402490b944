"""POST /v1/verify with a model judge, against the scripted model."""

from tests.helpers import assert_problem

TEXT = (
    "The ferries will cost $18.4 million, and the state will pay 60 percent of that. "
    "The ferries will cost $19 million."
)


def verify(client, ferry_text, **body):
    return client.post("/v1/verify", json={"source": ferry_text, "text": TEXT} | body)


def test_an_agreeing_judge_keeps_the_verdicts(llm_client, fake_model, ferry_text):
    result = verify(llm_client, ferry_text, judge=True).json()
    assert result["engine"] == "llm-judge" and result["usage"]["llm_calls"] == 1
    assert [c["verdict"] for c in result["claims"]] == ["supported", "supported", "unsupported"]
    assert "Task: verify" in fake_model.model.requests[-1]["messages"][0]["content"]


def test_a_disagreeing_judge_cannot_overrule_a_proven_error(llm_client, ferry_text):
    result = verify(llm_client, ferry_text, judge=True, model="contrarian").json()
    # It calls the good claims unsupported (believed), and "$19 million" supported: vetoed.
    assert [c["verdict"] for c in result["claims"]] == ["unsupported", "unsupported", "unsupported"]


def test_a_malformed_judge_is_a_502(llm_client, ferry_text):
    assert_problem(verify(llm_client, ferry_text, judge=True, model="malformed"), 502)


def test_without_judge_no_model_is_called(llm_client, fake_model, ferry_text):
    calls = len(fake_model.model.requests)
    result = verify(llm_client, ferry_text, judge=False).json()
    assert result["engine"] == "offline" and len(fake_model.model.requests) == calls


def test_a_judge_needs_a_model_endpoint(client, ferry_text):
    assert_problem(verify(client, ferry_text, judge=True), 422)


def test_every_offline_veto_stands_against_the_judge(llm_client, ferry_text):
    text = "The Port Alder city council did not vote on Tuesday to buy two electric ferries."
    result = llm_client.post(
        "/v1/verify", json={"source": ferry_text, "text": text, "judge": True}
    ).json()
    assert result["claims"][0]["verdict"] == "unsupported"  # the scripted judge said supported
