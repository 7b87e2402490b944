"""The client boundary: the bound on model calls in flight, and the fake-model command."""

import asyncio
import subprocess
import sys
import threading
import time

import httpx
import pytest

from service.domain.engines.schemas import Bounds
from service.model_client.openai_client import OpenAIModelClient, context_tokens_for
from service.model_client.scripted_server import FakeModelServer, _free_port
from service.settings import Settings

CLAIMS_SCHEMA = Bounds(claims=3, first_id=1, last_id=50).claims_schema()

MESSAGES = [
    {"role": "system", "content": "Task: summarize. Answer JSON."},
    {"role": "user", "content": "<article>\n[1] The dam opened on Monday.\n</article>"},
]


@pytest.mark.parametrize("bound", [2, 6])
def test_calls_in_flight_never_pass_the_bound_and_fill_it(bound):
    with FakeModelServer(latency_s=0.2) as server:
        client = OpenAIModelClient(Settings(llm_base_url=server.base_url, llm_concurrency=bound))

        async def six_calls():
            await asyncio.gather(
                *(
                    client.complete_json(
                        model="good",
                        messages=MESSAGES,
                        schema_name="claims",
                        schema=CLAIMS_SCHEMA,
                        max_tokens=100,
                    )
                    for _ in range(6)
                )
            )
            await client.close()

        asyncio.run(six_calls())
        assert server.model.max_in_flight == bound


@pytest.mark.parametrize(
    ("model", "override", "expected"),
    [
        ("gpt-4o-mini", None, 128_000),
        ("gpt-4", None, 8_192),
        ("gpt-4-turbo", None, 128_000),
        ("llama3.1", None, 8_192),
        ("llama3.1", 32_768, 32_768),
    ],
    ids=["gpt-4o-mini", "gpt-4", "longest-prefix", "unknown", "override"],
)
def test_context_sizes(model, override, expected):
    assert context_tokens_for(model, override) == expected


def test_the_fake_model_command_serves_the_api():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "fake-model", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                models = httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=1).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "fake-model did not start"
                time.sleep(0.1)
        assert "good" in [m["id"] for m in models["data"]]
        hanging = threading.Thread(
            target=_ask_and_ignore,
            daemon=True,
            args=(f"http://127.0.0.1:{port}/v1/chat/completions",),
        )
        hanging.start()  # a "hang" request in flight must not keep the server from stopping
        time.sleep(0.5)
        process.terminate()
        assert process.wait(timeout=10) is not None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _ask_and_ignore(url: str) -> None:
    try:
        httpx.post(url, json={"model": "hang", "messages": []}, timeout=30)
    except httpx.HTTPError:
        pass


def test_engines_for_requested_model_names_are_bounded(tmp_path, fake_model):
    from service.runtime import MAX_MODELS, build_runtime

    runtime = build_runtime(Settings(db=str(tmp_path / "f.db"), llm_base_url=fake_model.base_url))
    for i in range(MAX_MODELS + 10):
        runtime.engine("llm", f"model-{i}")
    assert len(runtime._llm_engines) == MAX_MODELS
    assert runtime.engine("llm", "model-1").model == "model-1"
    asyncio.run(runtime.close())
