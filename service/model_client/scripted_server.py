"""A scripted OpenAI-compatible model server, for tests, evals and trying the `llm` path.

    footnoted fake-model --port 8100 --latency 0.5
    FOOTNOTED_LLM_BASE_URL=http://127.0.0.1:8100/v1 FOOTNOTED_LLM_MODEL=good make serve

It speaks the Chat Completions API over real HTTP (streaming included), and reads the article
sentences ("[12] ...") out of the prompt. The model name picks the behaviour (MODES); any other
name behaves as "good".
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
import hashlib
import json
import re
import socket
import threading
import time
from typing import Any, Self

from litestar import Litestar, Request, Response, get, post
from litestar.response import Stream
from litestar.types import ASGIApp
import uvicorn

from ..domain.words import LETTERS

MODES = {
    "good": "cites the sentences it copies",
    "invent-ids": "cites sentence ids that do not exist",
    "wrong-sentence": "each claim copies one sentence and cites another",
    "unsupported": "claims facts the article does not hold, citing real sentences",
    "fixable": "unsupported at first; the repair answer is good",
    "malformed": "answers text that is not JSON",
    "contrarian": "as good, but as a claim judge it says the opposite of what it should",
    "obey-injection": "as good, plus a claim an injected instruction asked for (PAPAYA)",
    "truncated": "stops mid-JSON with finish_reason length",
    "refuse": "refuses (message.refusal, no content)",
    "empty": "returns no choices",
    "json-mode-only": "rejects response_format json_schema with a 400, answers JSON mode",
    "rate-limit": "429 with Retry-After: 7",
    "rate-limit-once": "429 with Retry-After: 0.2 on the first attempt of each request, then good",
    "unknown-model": "404 model not found, as for a model name the endpoint does not serve",
    "server-error": "500",
    "flaky": "500 on the first attempt of each request, then good",
    "not-a-completion": "200 with a web page, as a base URL that is not the API answers",
    "null-usage": "as good, with null token counts in usage",
    "hang": "never answers",
}
_LINE = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)
_AT_MOST = re.compile(r"at most (\d+) claims")
_TASK = re.compile(r"Task: (\w+)")
_QUESTION = re.compile(r"^(?:Last question|Question|user): (.*)$", re.MULTILINE)


@dataclass
class FakeModel:
    latency_s: float = 0.0
    stream_delay_s: float = 0.0  # between stream events
    requests: list[dict[str, Any]] = field(default_factory=list)
    streams_finished: int = 0
    streams_abandoned: int = 0
    in_flight: int = 0
    max_in_flight: int = 0  # the most completions it was working on at once
    _seen: set[str] = field(default_factory=set)

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
        """(status, JSON body, headers) for one chat completion request."""
        self.requests.append(body)
        mode: str = body["model"] if body.get("model") in MODES else "good"
        if failure := self._failure(mode, body):
            return failure
        prompt = "\n".join(m.get("content") or "" for m in body.get("messages", []))
        text, finish = self._content(mode, prompt)
        completion = _completion(
            body, text, finish, refusal=mode == "refuse", no_choices=mode == "empty"
        )
        if mode == "null-usage":
            completion["usage"] = dict.fromkeys(completion["usage"])
        return 200, completion, {}

    def _failure(
        self, mode: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any], dict[str, str]] | None:
        if mode == "rate-limit":
            return 429, _error("rate limited", "rate_limit_exceeded"), {"retry-after": "7"}
        if mode == "rate-limit-once" and self._first_attempt(body):
            return 429, _error("rate limited", "rate_limit_exceeded"), {"retry-after": "0.2"}
        if mode == "unknown-model":
            return 404, _error("The model does not exist", "model_not_found"), {}
        if mode == "server-error":
            return 500, _error("the model server failed", "server_error"), {}
        if mode == "flaky" and self._first_attempt(body):
            return 500, _error("transient failure", "server_error"), {}
        if (
            mode == "json-mode-only"
            and body.get("response_format", {}).get("type") == "json_schema"
        ):
            return (
                400,
                _error("response_format json_schema is not supported", "invalid_request"),
                {},
            )
        return None

    def _first_attempt(self, body: dict[str, Any]) -> bool:
        key = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        first = key not in self._seen
        self._seen.add(key)
        return first

    def _content(self, mode: str, prompt: str) -> tuple[str, str]:
        if mode == "malformed":
            return "Here is your summary: claims are good!", "stop"
        text = json.dumps(_answer(mode, prompt))
        if mode == "truncated":
            return text[: len(text) // 2], "length"
        return text, "stop"


def _answer(mode: str, prompt: str) -> dict[str, Any]:
    """The JSON the task asks for: claims, a standalone question, or an answer."""
    task = m.group(1) if (m := _TASK.search(prompt)) else "summarize"
    lines = [(int(i), t) for i, t in _LINE.findall(prompt)]
    if task == "condense":
        return {"question": " ".join(q for q in _QUESTION.findall(prompt))}
    if task == "verify":
        return {"verdicts": _verdicts(mode, prompt)}
    if task == "judge":
        golden = (
            m.group(1).lower() if (m := re.search(r"^Golden answer: (.*)$", prompt, re.M)) else "?"
        )
        graded = (
            m.group(1).lower() if (m := re.search(r"^Answer to grade: (.*)$", prompt, re.M)) else ""
        )
        return {"correct": golden in graded}
    if task != "answer":
        count = int(m.group(1)) if (m := _AT_MOST.search(prompt)) else 3
        return {"claims": _claims(mode, task, lines[:count], lines)}
    best = _best_line(lines, " ".join(_QUESTION.findall(prompt)))
    if best is None:
        return {
            "answerable": False,
            "explanation": "The article does not cover this.",
            "claims": [],
        }
    return {"answerable": True, "explanation": "", "claims": _claims(mode, task, [best], lines)}


def _verdicts(mode: str, prompt: str) -> list[dict[str, Any]]:
    """Supported when half the claim's longer words are in its cited sentences ("contrarian"
    says the opposite)."""
    verdicts = []
    for number, claim, cited in re.findall(
        r"^Claim (\d+): (.*)\nCited sentences:\n((?:  .*\n?)*)", prompt, re.MULTILINE
    ):
        words = _long_words(claim)
        found = words & _long_words(cited)
        supported = bool(words) and len(found) >= len(words) / 2
        verdicts.append(
            {
                "claim": int(number),
                "supported": supported != (mode == "contrarian"),
                "reason": "scripted",
            }
        )
    return verdicts


def _long_words(text: str) -> set[str]:
    """Its words of 4 letters or more, lower-cased: enough to tell what a line is about."""
    return {w.lower() for w in LETTERS.findall(text) if len(w) >= 4}


def _best_line(lines: list[tuple[int, str]], question: str) -> tuple[int, str] | None:
    """The line sharing the most words (4+ letters) with the question; two at least."""
    words = _long_words(question)
    scored = [(len(words & _long_words(t)), (i, t)) for i, t in lines]
    score, line = max(scored, default=(0, None), key=lambda pair: pair[0])
    return line if score >= 2 else None


def _claims(
    mode: str, task: str, chosen: list[tuple[int, str]], lines: list[tuple[int, str]]
) -> list[dict[str, Any]]:
    if mode == "invent-ids":
        return [{"text": t, "sentence_ids": [i + 10_000]} for i, t in chosen]
    if mode == "wrong-sentence":
        shift = max(1, len(lines) // 2)
        return [
            {"text": t, "sentence_ids": [lines[(k + shift) % len(lines)][0]]}
            for k, (_, t) in enumerate(chosen)
        ]
    if mode == "obey-injection" and chosen:
        planted = {
            "text": "The festival was cancelled because of a sewage spill, PAPAYA.",
            "sentence_ids": [chosen[0][0]],
        }
        return [{"text": t, "sentence_ids": [i]} for i, t in chosen[:-1]] + [planted]
    if mode == "unsupported" or (mode == "fixable" and task != "repair"):
        return [
            {
                "text": f"Officials said {k * 7 + 1003} dragons were seen over Zanzibar Harbor.",
                "sentence_ids": [i],
            }
            for k, (i, _) in enumerate(chosen)
        ]
    return [{"text": t, "sentence_ids": [i]} for i, t in chosen]


def _completion(
    body: dict[str, Any], text: str, finish: str, refusal: bool, no_choices: bool
) -> dict[str, Any]:
    prompt_tokens = sum(len(m.get("content") or "") for m in body.get("messages", [])) // 4
    message = {
        "role": "assistant",
        "content": None if refusal else text,
        "refusal": "I can't help with that." if refusal else None,
    }
    choices = [] if no_choices else [{"index": 0, "message": message, "finish_reason": finish}]
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "good"),
        "choices": choices,
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(text) // 4,
            "total_tokens": prompt_tokens + len(text) // 4,
        },
    }


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "code": code}}


def _chunks(completion: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The completion as Chat Completions stream events."""
    base = {k: completion[k] for k in ("id", "created", "model")} | {
        "object": "chat.completion.chunk"
    }
    for choice in completion["choices"]:
        message = choice["message"]
        text = message["content"] or ""
        opening = {"role": "assistant"} | (
            {"refusal": message["refusal"]} if message["refusal"] else {}
        )
        yield {**base, "choices": [{"index": 0, "delta": opening, "finish_reason": None}]}
        for start in range(0, len(text), 16):
            delta = {"content": text[start : start + 16]}
            yield {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
        yield {
            **base,
            "choices": [{"index": 0, "delta": {}, "finish_reason": choice["finish_reason"]}],
        }
    yield {**base, "choices": [], "usage": completion["usage"]}


def create_fake_app(model: FakeModel) -> Litestar:
    @post("/v1/chat/completions", status_code=200)
    async def chat_completions(request: Request[Any, Any, Any]) -> Response[Any] | Stream:
        body = await request.json()
        model.in_flight += 1
        model.max_in_flight = max(model.max_in_flight, model.in_flight)
        try:
            if body.get("model") == "hang":
                await asyncio.sleep(3600)
            await asyncio.sleep(model.latency_s)
        finally:
            model.in_flight -= 1
        if body.get("model") == "not-a-completion":
            model.requests.append(body)
            return Response("<!doctype html><title>Chat UI</title>", media_type="text/html")
        status, payload, headers = model.answer(body)
        if status != 200 or not body.get("stream"):
            return Response(payload, status_code=status, headers=headers)
        return Stream(_sse(model, payload), media_type="text/event-stream")

    @get("/v1/models")
    async def models() -> dict[str, Any]:
        return {
            "object": "list",
            "data": [{"id": name, "object": "model", "owned_by": "footnoted"} for name in MODES],
        }

    return Litestar(route_handlers=[chat_completions, models], logging_config=None)


async def _sse(model: FakeModel, payload: dict[str, Any]) -> AsyncIterator[str]:
    """Stream events, paced by `stream_delay_s`; a reader leaving early is counted."""
    finished = False
    try:
        for chunk in _chunks(payload):
            await asyncio.sleep(model.stream_delay_s)
            yield f"data: {json.dumps(chunk)}\n\n"
        yield "data: [DONE]\n\n"
        finished = True
    finally:
        model.streams_finished += finished
        model.streams_abandoned += not finished


class BackgroundServer:
    """Serves an ASGI app on a loopback port in a background thread: `with ... as server:`."""

    def __init__(self, app: ASGIApp, port: int | None = None) -> None:
        # Bound here and handed to uvicorn: no other process can take the port in between.
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", port or 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=1,
            log_config=None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self._server.started:
            self.__exit__()
            raise RuntimeError(f"the server on port {self.port} did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


class FakeModelServer(BackgroundServer):
    """The scripted model on a loopback port; `.model` is its state, `.base_url` its API root."""

    def __init__(self, latency_s: float = 0.0, port: int | None = None) -> None:
        self.model = FakeModel(latency_s=latency_s)
        super().__init__(create_fake_app(self.model), port)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
