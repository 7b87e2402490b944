"""Streaming chat: event order, the done payload, errors, and a reader who leaves."""

import json
import logging
import time

import httpx
from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from service.model_client.scripted_server import BackgroundServer

QUESTION = [{"role": "user", "content": "How much will the ferries cost?"}]


def parse_events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.replace("\r\n", "\n").strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events


def fresh(settings, tmp_path, name):
    return TestClient(create_app(settings.model_copy(update={"db": str(tmp_path / name)})))


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_events_come_in_order_and_done_equals_the_plain_response(
    llm_settings, tmp_path, ferry_text, engine
):
    body = {"article": {"text": ferry_text}, "messages": QUESTION, "engine": engine}
    with fresh(llm_settings, tmp_path, "a.db") as plain_client:
        plain = plain_client.post("/v1/chat", json=body).json()
    with fresh(llm_settings, tmp_path, "b.db") as stream_client:
        response = stream_client.post("/v1/chat", json=body | {"stream": True})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "done" and kinds.count("done") == 1
    first_claim = kinds.index("claim")
    assert set(kinds[:first_claim]) == {"delta"} and set(kinds[first_claim:-1]) == {"claim"}
    done = events[-1][1]
    assert done == plain
    assert [data for kind, data in events if kind == "claim"] == done["claims"]
    assert "".join(data["text"] for kind, data in events if kind == "delta") == done["answer"]


def test_an_abstention_streams_no_claims(client, ferry_text):
    body = {
        "article": {"text": ferry_text},
        "stream": True,
        "messages": [{"role": "user", "content": "What is the mayor's salary?"}],
    }
    events = parse_events(client.post("/v1/chat", json=body).text)
    assert [k for k, _ in events if k == "claim"] == []
    assert events[-1][1]["answerable"] is False and events[-1][1]["claims"] == []


def test_a_failure_before_the_first_event_is_a_plain_problem(llm_client, ferry_text):
    body = {
        "article": {"text": ferry_text},
        "messages": QUESTION,
        "stream": True,
        "model": "server-error",
    }
    response = llm_client.post("/v1/chat", json=body)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("model", ["rate-limit-once", "flaky", "null-usage"])
def test_a_stream_rides_out_a_failure_before_its_first_token(
    llm_settings, tmp_path, ferry_text, model
):
    body = {"article": {"text": ferry_text}, "messages": QUESTION, "stream": True, "model": model}
    with fresh(llm_settings.model_copy(update={"llm_max_retries": 1}), tmp_path, "r.db") as client:
        events = parse_events(client.post("/v1/chat", json=body).text)
    assert events[-1][0] == "done" and events[-1][1]["answerable"] is True
    assert events[-1][1]["usage"]["prompt_tokens"] > 0


def test_a_failure_mid_stream_is_an_error_event(llm_client, ferry_text):
    body = {
        "article": {"text": ferry_text},
        "messages": QUESTION,
        "stream": True,
        "model": "truncated",
    }
    events = parse_events(llm_client.post("/v1/chat", json=body).text)
    assert events[0][0] == "delta"
    assert events[-1][0] == "error" and events[-1][1]["type"] == "/problems/model-bad-output"
    assert "done" not in [k for k, _ in events]


def test_a_reader_who_leaves_stops_the_model_call(llm_settings, fake_model, ferry_text):
    fake_model.model.stream_delay_s = 0.2  # about 10 s for the whole answer
    abandoned = fake_model.model.streams_abandoned
    body = {"article": {"text": ferry_text}, "messages": QUESTION, "stream": True}
    try:
        with BackgroundServer(create_app(llm_settings)) as server:
            with httpx.Client(timeout=10) as http:
                with http.stream("POST", f"{server.url}/v1/chat", json=body) as response:
                    assert response.status_code == 200
                    next(response.iter_lines())  # the first event has begun: leave
            deadline = time.monotonic() + 5
            while fake_model.model.streams_abandoned == abandoned and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        fake_model.model.stream_delay_s = 0.0
    assert fake_model.model.streams_abandoned == abandoned + 1


def test_a_reader_who_leaves_before_the_first_event_frees_the_model_call(
    llm_settings, ferry_text, caplog
):
    # One call slot and no queue: while the hanging call holds the slot, any other call is a
    # 503 at once; once the reader leaves, the call must stop and give the slot back.
    settings = llm_settings.model_copy(
        update={"llm_concurrency": 1, "llm_queue": 0, "llm_timeout_s": 60}
    )
    body = {"article": {"text": ferry_text}, "messages": QUESTION, "stream": True, "model": "hang"}
    with BackgroundServer(create_app(settings)) as server, caplog.at_level(logging.INFO):
        with httpx.Client(timeout=1) as http, pytest.raises(httpx.ReadTimeout):
            http.post(f"{server.url}/v1/chat", json=body)  # gives up after 1 s
        deadline, status = time.monotonic() + 10, None
        while status != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
            status = httpx.post(
                f"{server.url}/v1/chat", timeout=10, json=body | {"model": "good", "stream": False}
            ).status_code
    assert status == 200
    statuses = [r.fields["status"] for r in caplog.records if r.name == "footnoted.access"]
    # Logged once as a client that left, not as a failure (a retry may be logged before it: a
    # 503 while the slot is still taken).
    assert statuses.count(499) == 1 and set(statuses) <= {499, 503, 200}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
