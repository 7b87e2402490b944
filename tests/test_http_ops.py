import logging


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
    assert client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32


def test_each_request_is_logged_once_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="footnoted.access"):
        client.get("/healthz", headers={"x-request-id": "req-42"})
    lines = [r for r in caplog.records if r.name == "footnoted.access"]
    assert len(lines) == 1
    assert lines[0].request_id == "req-42" and "status=200" in lines[0].getMessage()
