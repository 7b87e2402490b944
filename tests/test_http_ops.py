import json
import logging

import pytest


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["engine"] == "extractive"


def test_metrics_are_prometheus_text_and_count_requests(client):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "footnoted_requests_total" in response.text


def test_openapi_document_and_docs_ui_are_served(client):
    spec = client.get("/docs/openapi.json").json()
    assert {"/v1/articles", "/v1/summaries", "/healthz"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_request_ids_are_echoed_or_made(client):
    assert (
        client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/healthz", 200), ("GET", "/v1/nowhere", 404), ("PUT", "/v1/articles/abc", 405)],
)
def test_each_request_is_logged_once_with_its_id(client, caplog, method, path, status):
    with caplog.at_level(logging.INFO, logger="footnoted.access"):
        response = client.request(method, path, headers={"x-request-id": "req-42"})
    assert response.status_code == status and response.headers["x-request-id"] == "req-42"
    lines = [r for r in caplog.records if r.name == "footnoted.access"]
    assert len(lines) == 1
    assert lines[0].request_id == "req-42" and f"status={status}" in lines[0].getMessage()


def test_the_log_line_says_what_answered_and_nothing_of_the_users_data(client, caplog, ferry_text):
    from service.http.observability import JsonFormatter

    with caplog.at_level(logging.DEBUG):
        client.post(
            "/v1/summaries",
            json={"article": {"text": ferry_text}},
            headers={"authorization": "Bearer very-secret-key", "x-request-id": "r-7"},
        )
    access = [r for r in caplog.records if r.name == "footnoted.access"][0]
    line = json.loads(JsonFormatter().format(access))
    assert (
        line["request_id"] == "r-7" and line["status"] == 200 and line["route"] == "/v1/summaries"
    )
    assert line["engine"] == "extractive" and line["llm_calls"] == 0 and "latency_ms" in line
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert "very-secret-key" not in everything
    assert "electric ferries" not in everything and "Port Alder" not in everything
