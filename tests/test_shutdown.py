"""Graceful shutdown: SIGTERM lets the request in flight finish, then the server exits."""

import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from service.model_client.scripted_server import FakeModelServer, _free_port
from tests.helpers import wait_until_up


def test_sigterm_finishes_the_request_in_flight(tmp_path, ferry_text):
    with FakeModelServer(latency_s=1.5) as model:
        port = _free_port()
        env = os.environ | {
            "FOOTNOTED_DB": str(tmp_path / "f.db"),
            "FOOTNOTED_LLM_MODEL": "good",
            "FOOTNOTED_LLM_BASE_URL": model.base_url,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process)
            answer = {}
            request = threading.Thread(
                target=lambda: answer.update(
                    response=httpx.post(
                        f"{url}/v1/summaries", json={"article": {"text": ferry_text}}, timeout=20
                    )
                )
            )
            request.start()
            deadline = time.monotonic() + 10
            while model.model.in_flight == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert model.model.in_flight == 1  # the model call is under way
            process.send_signal(signal.SIGTERM)
            request.join(timeout=20)
            # uvicorn re-raises the signal once it has shut down cleanly: -SIGTERM, not a crash.
            assert process.wait(timeout=20) in (0, -signal.SIGTERM)
        finally:
            process.kill()
    assert answer["response"].status_code == 200
    assert answer["response"].json()["usage"]["llm_calls"] == 1
