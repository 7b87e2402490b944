"""Record a live model's answers once, replay them offline: evals of a real model in CI.

Recording wraps the SDK's HTTP transport (openai 3.x talks through httpx2) and appends one JSON
line per model call: a hash of the request body, the response status, content type and body.
Request headers are never written, so the API key (Authorization) never reaches the file.
Replay answers each call from the file through httpx2.MockTransport; a call that was not
recorded is a 599 problem, which the eval reports as a failed case.
"""

import hashlib
import json
from pathlib import Path

import httpx2

WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


def request_key(request: httpx2.Request) -> str:
    body = json.loads(request.content or b"{}")
    canonical = json.dumps({"path": request.url.path, "body": body}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class RecordingTransport(httpx2.AsyncBaseTransport):
    def __init__(self, path: Path, inner: httpx2.AsyncBaseTransport | None = None) -> None:
        self.path = path
        self.inner = inner or httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        entry = {
            "key": request_key(request),
            "status": response.status_code,
            "content_type": response.headers.get("content-type", "application/json"),
            "body": body.decode("utf-8", "replace"),
        }
        with self.path.open("a") as file:
            file.write(json.dumps(entry) + "\n")
        # aread() gave the decoded body: the headers that described the bytes on the wire
        # (gzip, their length, chunking) no longer hold, and kept they make the client decode
        # the body a second time. Replay serves the same decoded body, without them too.
        headers = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in WIRE_HEADERS
        ]
        return httpx2.Response(response.status_code, headers=headers, content=body, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def replay_transport(path: Path) -> httpx2.MockTransport:
    recorded = {}
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        recorded[entry["key"]] = entry

    def answer(request: httpx2.Request) -> httpx2.Response:
        entry = recorded.get(request_key(request))
        if entry is None:
            return httpx2.Response(599, json={"error": {"message": "not in the recording"}})
        return httpx2.Response(
            entry["status"],
            content=entry["body"].encode(),
            headers={"content-type": entry["content_type"]},
        )

    return httpx2.MockTransport(answer)


def recording_client(path: Path) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=RecordingTransport(path))


def replay_client(path: Path) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(transport=replay_transport(path))
