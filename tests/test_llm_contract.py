"""The `llm` engine through the real openai SDK against the scripted server on loopback."""

from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.settings import Settings
from tests.helpers import assert_problem, without_cached_flag


def summarize(client, text, **options):
    return client.post("/v1/summaries", json={"article": {"text": text}, **options})


def assert_grounded(client, result):
    article = client.get(f"/v1/articles/{result['article_id']}").json()
    for claim in result["claims"]:
        assert result["summary"][claim["start"] : claim["end"]] == claim["text"]
        for citation in claim["citations"]:
            assert article["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_a_good_model_gives_a_verified_summary(llm_client, fake_model, ferry_text):
    response = summarize(llm_client, ferry_text)
    assert response.status_code == 200, response.text
    result = response.json()
    assert_grounded(llm_client, result)
    assert result["engine"] == "llm" and result["model"] == "good"
    assert result["prompt_version"] == "summarize@2,repair@3,combine@1,condense@1,answer@2"
    assert result["validation"]["status"] == "verified" and len(result["claims"]) == 3
    assert result["usage"]["llm_calls"] == 1 and result["usage"]["prompt_tokens"] > 0
    sent = fake_model.model.requests[-1]
    assert sent["response_format"]["type"] == "json_schema"
    assert (
        "<article>" in sent["messages"][1]["content"]
        and "untrusted" in sent["messages"][0]["content"]
    )
    assert "Accessibility links" not in sent["messages"][1]["content"]  # furniture is not shown


BAD_MODELS = [
    ("invent-ids", "failed"),
    ("wrong-sentence", "failed"),
    ("unsupported", "failed"),
]


@pytest.mark.parametrize(("model", "status"), BAD_MODELS, ids=[m for m, _ in BAD_MODELS])
def test_bad_claims_are_never_reported_supported(llm_client, ferry_text, model, status):
    response = summarize(llm_client, ferry_text, model=model)
    assert response.status_code == 200, response.text
    result = response.json()
    assert_grounded(llm_client, result)
    assert result["claims"] and all(c["verdict"] != "supported" for c in result["claims"])
    assert result["validation"]["status"] == status
    assert result["usage"]["llm_calls"] == 2  # the draft, then one repair that fails again


def test_invented_ids_are_dropped_and_reported(llm_client, ferry_text):
    result = summarize(llm_client, ferry_text, model="invent-ids").json()
    assert all(c["citations"] == [] for c in result["claims"])
    assert (
        result["validation"]["dropped_citations"]
        and min(result["validation"]["dropped_citations"]) > 10_000
    )


def test_one_repair_fixes_what_it_can(llm_client, fake_model, ferry_text):
    result = summarize(llm_client, ferry_text, model="fixable").json()
    assert result["validation"]["status"] == "repaired"
    assert all(c["verdict"] == "supported" for c in result["claims"])
    assert result["usage"]["llm_calls"] == 2
    repair_prompt = fake_model.model.requests[-1]["messages"][1]["content"]
    assert "dragons" in repair_prompt and "is not in the cited text" in repair_prompt


def test_unsupported_claims_can_be_dropped(llm_client, ferry_text):
    result = summarize(llm_client, ferry_text, model="unsupported", unsupported="drop").json()
    assert result["claims"] == [] and result["summary"] == ""
    assert result["validation"]["removed"] == 3 and result["validation"]["status"] == "failed"


FAULTS = [
    ("malformed", 502, "/problems/model-bad-output"),
    ("truncated", 502, "/problems/model-bad-output"),
    ("refuse", 502, "/problems/model-bad-output"),
    ("empty", 502, "/problems/model-bad-output"),
    ("server-error", 502, "/problems/model-unavailable"),
    ("rate-limit", 503, "/problems/model-busy"),
]


@pytest.mark.parametrize(("model", "status", "problem_type"), FAULTS, ids=[f[0] for f in FAULTS])
def test_model_faults_are_problem_details_never_an_extractive_answer(
    llm_client, ferry_text, model, status, problem_type
):
    response = summarize(llm_client, ferry_text, model=model)
    assert_problem(response, status)
    assert response.json()["type"] == problem_type
    if status == 503:
        assert response.headers["retry-after"] == "7"


def test_a_hanging_model_is_a_504_within_the_budget(tmp_path, fake_model, ferry_text):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        llm_base_url=fake_model.base_url,
        llm_model="hang",
        llm_timeout_s=0.5,
        llm_max_retries=0,
    )
    with TestClient(create_app(settings)) as client:
        response = summarize(client, ferry_text)
    assert_problem(response, 504)


def test_an_unreachable_endpoint_is_a_502(tmp_path, ferry_text):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        llm_base_url="http://127.0.0.1:9/v1",
        llm_max_retries=0,
        llm_timeout_s=2,
    )
    with TestClient(create_app(settings)) as client:
        assert_problem(summarize(client, ferry_text), 502)
        assert client.get("/readyz").status_code == 503


def test_retries_ride_out_a_transient_failure(tmp_path, fake_model, ferry_text):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        llm_base_url=fake_model.base_url,
        llm_model="flaky",
        llm_max_retries=2,
        llm_timeout_s=10,
    )
    with TestClient(create_app(settings)) as client:
        response = summarize(client, ferry_text)
    assert response.status_code == 200 and response.json()["validation"]["status"] == "verified"


def _calls_to(fake_model, name: str) -> int:
    return sum(r.get("model") == name for r in fake_model.model.requests)


def _settings(tmp_path, fake_model, **fields) -> Settings:
    return Settings(
        db=str(tmp_path / "f.db"), llm_base_url=fake_model.base_url, llm_model="good", **fields
    )


def test_requests_the_endpoint_rejects_do_not_open_the_breaker(tmp_path, fake_model, ferry_text):
    settings = _settings(tmp_path, fake_model, llm_breaker_failures=2, llm_max_retries=2)
    before = _calls_to(fake_model, "unknown-model")
    with TestClient(create_app(settings)) as client:
        for _ in range(3):  # a misspelt model name, say: the endpoint itself is fine
            response = summarize(client, ferry_text, model="unknown-model")
            assert_problem(response, 502)
            assert "404" in response.json()["detail"]
        assert _calls_to(fake_model, "unknown-model") - before == 3  # and not retried
        assert summarize(client, ferry_text).status_code == 200


def test_failures_of_the_endpoint_do_open_it(tmp_path, fake_model, ferry_text):
    settings = _settings(tmp_path, fake_model, llm_breaker_failures=2, llm_max_retries=0)
    with TestClient(create_app(settings)) as client:
        for _ in range(2):
            assert_problem(summarize(client, ferry_text, model="server-error"), 502)
        assert_problem(summarize(client, ferry_text), 503)


def test_a_rate_limit_longer_than_the_time_left_is_passed_on_at_once(
    tmp_path, fake_model, ferry_text
):
    settings = _settings(
        tmp_path, fake_model, llm_breaker_failures=2, llm_max_retries=2, llm_timeout_s=5
    )
    before = _calls_to(fake_model, "rate-limit")
    with TestClient(create_app(settings)) as client:
        for _ in range(3):  # Retry-After 7 s does not fit in 5 s: a 503, not a 504 later
            response = summarize(client, ferry_text, model="rate-limit")
            assert_problem(response, 503)
            assert response.headers["retry-after"] == "7"
        assert _calls_to(fake_model, "rate-limit") - before == 3
        assert summarize(client, ferry_text).status_code == 200  # a 429 says nothing of health


@pytest.mark.parametrize(("retries", "status", "calls"), [(1, 200, 2), (0, 503, 1)])
def test_a_short_rate_limit_is_waited_out_when_retries_allow(
    tmp_path, fake_model, ferry_text, retries, status, calls
):
    settings = _settings(tmp_path, fake_model, llm_max_retries=retries)
    before = _calls_to(fake_model, "rate-limit-once")
    text = f"{ferry_text}\n\nThis copy allows {retries} retries."  # a first attempt of its own
    with TestClient(create_app(settings)) as client:
        assert summarize(client, text, model="rate-limit-once").status_code == status
    assert _calls_to(fake_model, "rate-limit-once") - before == calls


def test_a_web_page_instead_of_a_completion_is_a_502(llm_client, ferry_text):
    response = summarize(llm_client, ferry_text, model="not-a-completion")
    assert_problem(response, 502)
    assert response.json()["type"] == "/problems/model-bad-output"


def test_null_token_counts_are_counted_here(llm_client, ferry_text):
    response = summarize(llm_client, ferry_text, model="null-usage")
    assert response.status_code == 200, response.text
    assert response.json()["usage"]["prompt_tokens"] > 0


def test_a_json_mode_only_server_still_works(llm_client, fake_model, ferry_text):
    response = summarize(llm_client, ferry_text, model="json-mode-only")
    assert response.status_code == 200, response.text
    assert response.json()["validation"]["status"] == "verified"
    assert fake_model.model.requests[-1]["response_format"] == {"type": "json_object"}


def test_json_schema_only_setting_does_not_fall_back(tmp_path, fake_model, ferry_text):
    settings = Settings(
        db=str(tmp_path / "f.db"),
        llm_base_url=fake_model.base_url,
        llm_model="json-mode-only",
        llm_structured_output="json_schema",
        llm_max_retries=0,
    )
    with TestClient(create_app(settings)) as client:
        assert_problem(summarize(client, ferry_text), 502)


def test_repeats_come_from_the_cache_without_a_model_call(llm_client, fake_model, ferry_text):
    first = summarize(llm_client, ferry_text).json()
    calls = len(fake_model.model.requests)
    second = summarize(llm_client, ferry_text).json()
    assert second["usage"]["cached"] is True and len(fake_model.model.requests) == calls
    assert without_cached_flag(second) == without_cached_flag(first)
    other_model = summarize(llm_client, ferry_text, model="fixable").json()
    assert other_model["usage"]["cached"] is False


def test_readiness_checks_the_model_endpoint(llm_client):
    assert llm_client.get("/readyz").json() == {
        "status": "ready",
        "engine": "llm",
        "backends": {"store (sqlite)": "ok", "model endpoint": "ok"},
    }


def test_extractive_is_still_there_when_asked_for(llm_client, ferry_text):
    result = summarize(llm_client, ferry_text, engine="extractive").json()
    assert result["engine"] == "extractive" and result["usage"]["llm_calls"] == 0


def test_answer_tokens_that_leave_no_room_for_the_article_are_a_422(
    tmp_path, fake_model, ferry_text
):
    # An unknown model gets an 8,192-token context: 8,192 answer tokens leave none.
    settings = _settings(tmp_path, fake_model, llm_output_tokens=8192)
    with TestClient(create_app(settings)) as client:
        response = summarize(client, ferry_text)
    assert_problem(response, 422)
    assert "FOOTNOTED_LLM_OUTPUT_TOKENS" in response.json()["detail"]


def test_the_access_log_counts_a_cache_hit_as_no_call(llm_client, ferry_text, caplog):
    import logging

    text = f"{ferry_text}\n\nThis copy is for the access log test."
    with caplog.at_level(logging.INFO, logger="footnoted.access"):
        first = summarize(llm_client, text).json()
        second = summarize(llm_client, text).json()
    lines = [r.fields for r in caplog.records if r.name == "footnoted.access"]
    assert (
        second["usage"]["cached"]
        and second["usage"]["llm_calls"] == first["usage"]["llm_calls"] > 0
    )
    assert lines[0]["llm_calls"] == 1 and lines[0]["prompt_tokens"] > 0
    assert lines[1]["llm_calls"] == 0 and lines[1]["prompt_tokens"] == 0 and lines[1]["cached"]


def test_each_failed_try_counts_towards_the_breaker(tmp_path, fake_model, ferry_text):
    # Documented: retries are calls too. Two requests of three failing tries open a breaker of 5.
    settings = _settings(
        tmp_path, fake_model, llm_breaker_failures=5, llm_max_retries=2, llm_timeout_s=30
    )
    with TestClient(create_app(settings)) as client:
        assert_problem(summarize(client, ferry_text, model="server-error"), 502)
        assert summarize(client, ferry_text).status_code == 200  # 3 failures, then a success
        assert_problem(summarize(client, ferry_text, model="server-error"), 502)  # 3 in a row
        # The 5th failure, this request's second try, opens the breaker: its retry is refused.
        assert_problem(summarize(client, ferry_text, model="server-error"), 503)
        response = summarize(client, f"{ferry_text}\n\nAnother copy.")
        assert_problem(response, 503)
        assert "failing" in response.json()["detail"]


def test_the_cache_tells_endpoints_and_builds_apart(tmp_path, fake_model, ferry_text, monkeypatch):
    from service.domain.pipeline import cache

    db = str(tmp_path / "shared.db")
    here = Settings(db=db, llm_base_url=fake_model.base_url, llm_model="good")
    elsewhere = here.model_copy(
        update={"llm_base_url": fake_model.base_url.replace("127.0.0.1", "localhost")}
    )  # the same model name at another address
    with TestClient(create_app(here)) as client:
        assert summarize(client, ferry_text).json()["usage"]["cached"] is False
        assert summarize(client, ferry_text).json()["usage"]["cached"] is True
    with TestClient(create_app(elsewhere)) as client:
        assert summarize(client, ferry_text).json()["usage"]["cached"] is False
    monkeypatch.setattr(cache, "CODE_VERSION", "another build")
    with TestClient(create_app(here)) as client:
        assert summarize(client, ferry_text).json()["usage"]["cached"] is False
