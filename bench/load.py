"""Mixed concurrent traffic against the service on the scripted model, for a bounded time.

    PYTHONPATH=. .venv/bin/python bench/load.py [--seconds 30] [--concurrency 32] [--latency 0.2]

Starts the scripted model (`fake-model`, --latency s per completion) and the service (`serve`,
llm engine on model "good", its own temporary SQLite file, otherwise its defaults: at most
FOOTNOTED_LLM_CONCURRENCY=8 model calls in flight, so llm requests queue as in production) as
processes of their own on 127.0.0.1, stores the 17 golden articles, then runs --concurrency
simulated users for --seconds.
Each user takes the next kind from one fixed cycle (MIX), so every run sends the same mix:

- summaries with both engines, of distinct articles (a new title each time: always computed)
  and of a few stored ones with fixed options (repeats: served from the result cache);
- chat with the llm engine, single and multi-turn (golden conversations, golden answers as the
  assistant turns), some with `stream: true` read to the last event, and extractive multi-turn;
- verify against a stored source, with and without the model judge;
- bad requests: invalid JSON (400), unknown article ids (404), bodies one byte over the limit
  with Content-Length and chunked (413), and a wrong or missing content type (415).

It reports the requests and throughput, p50/p99 latency and statuses per kind, responses by
status, every 5xx (an `error` event inside a 200 stream counts as its own status) and every
status a kind must not get, and the service's memory: VmRSS from /proc/<pid>/status every
second, the peak, and whether it is flat (mean of the last third of the samples against the
middle third; the first third is warm-up). Exit status 1 on any 5xx or unexpected status.

Bounded: traffic only to 127.0.0.1 (proxies from the environment are ignored), at most
--max-requests requests, no new request after --seconds, each request at most
REQUEST_TIMEOUT_S; both processes are always stopped at the end.
"""

import argparse
import asyncio
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
import itertools
import json
import os
from pathlib import Path
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import httpx
from processes import HOST, free_port, spawn, stop, wait_up  # HOST: the only address used

from service.evals.golden import load_articles, load_questions

MODEL = "good"
MAX_SECONDS = 600
MAX_CONCURRENCY = 256
MAX_REQUESTS = 1_000_000
REQUEST_TIMEOUT_S = 60.0  # above any normal answer; a timeout is reported, not waited out
SAMPLE_EVERY_S = 1.0
FLAT_PCT = 5.0  # last third over middle third above this: memory is not flat
DEFAULT_MAX_BODY = 8 * 1024 * 1024  # the service's own default limit
UNKNOWN_ID = "0" * 32

# kind -> (share of the cycle, statuses it may get). The cycle is fixed so runs compare.
MIX: dict[str, tuple[int, set[str]]] = {
    "summary-llm-new": (3, {"200"}),
    "summary-llm-repeat": (3, {"200"}),
    "summary-extractive-new": (2, {"200"}),
    "summary-extractive-repeat": (2, {"200"}),
    "chat-llm-single": (3, {"200"}),
    "chat-llm-multi": (2, {"200"}),
    "chat-llm-stream": (2, {"200"}),
    "chat-extractive-multi": (1, {"200"}),
    "verify": (2, {"200"}),
    "bad-json": (1, {"400"}),
    "unknown-id": (1, {"404"}),
    "oversize": (1, {"413"}),
    "wrong-content-type": (1, {"415"}),
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        with tempfile.TemporaryDirectory(prefix="footnoted-load-") as tmp:
            return asyncio.run(run(args, Path(tmp)))
    except KeyboardInterrupt:  # both processes were stopped on the way out
        print("interrupted: no report", file=sys.stderr)
        return 130


def _interrupted(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, through the `finally` that stops both processes.
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help=f"at most {MAX_SECONDS}")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        choices=range(1, MAX_CONCURRENCY + 1),
        metavar=f"1..{MAX_CONCURRENCY}",
    )
    parser.add_argument("--latency", type=float, default=0.2, help="fake model seconds per call")
    parser.add_argument(
        "--max-requests",
        type=int,
        default=100_000,
        help=f"stop after this many requests even before --seconds (at most {MAX_REQUESTS})",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY,
        help="the service's body limit (FOOTNOTED_MAX_BODY_BYTES) to test at",
    )
    parser.add_argument("--keep-logs", action="store_true", help="print the service log's tail")
    return parser


async def run(args: argparse.Namespace, tmp: Path) -> int:
    if not 0 < args.seconds <= MAX_SECONDS:
        raise SystemExit(f"--seconds must be in (0, {MAX_SECONDS}]")
    if not 0 < args.max_requests <= MAX_REQUESTS:
        raise SystemExit(f"--max-requests must be in 1..{MAX_REQUESTS}")
    fake_port, service_port = free_port(), free_port()
    model_url = f"http://{HOST}:{fake_port}/v1"
    service_url = f"http://{HOST}:{service_port}"
    procs: list[subprocess.Popen] = []
    try:
        procs.append(
            spawn(
                [
                    "fake-model",
                    "--host",
                    HOST,
                    "--port",
                    str(fake_port),
                    "--latency",
                    str(args.latency),
                ],
                {},
                tmp / "fake.log",
            )
        )
        procs.append(
            spawn(
                ["serve", "--host", HOST, "--port", str(service_port)],
                _service_env(model_url, args, tmp),
                tmp / "service.log",
            )
        )
        await wait_up(f"{model_url}/models", procs[0])
        await wait_up(f"{service_url}/healthz", procs[1])
        report = await _load(args, service_url, procs[1].pid)
    finally:
        for proc in reversed(procs):
            stop(proc)
    return _print_report(report, args, tmp / "service.log")


# --- processes ---------------------------------------------------------------------------


def _service_env(model_url: str, args: argparse.Namespace, tmp: Path) -> dict[str, str]:
    return {
        "FOOTNOTED_LLM_BASE_URL": model_url,
        "FOOTNOTED_LLM_MODEL": MODEL,
        "FOOTNOTED_DB": str(tmp / "load.db"),
        "FOOTNOTED_MAX_BODY_BYTES": str(args.max_body_bytes),
    }


# --- traffic -----------------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    json: object = None
    content: bytes | None = None
    chunked: bool = False  # send `content` without Content-Length
    headers: dict[str, str] = field(default_factory=dict)
    stream: bool = False


@dataclass
class Outcome:
    kind: str
    status: str  # "200", "413", "200+error-event-502", "transport:ReadTimeout", ...
    seconds: float
    cached: bool | None
    request_id: str


class Traffic:
    """Builds the n-th request of a kind from the golden articles, questions and conversations."""

    def __init__(self, stored: list[tuple[str, dict]], max_body: int) -> None:
        self.stored = stored  # (article id, golden article as a dict)
        by_golden = {golden["id"]: article_id for article_id, golden in stored}
        self.questions = [
            (by_golden[q.article_id], question.question)
            for q in load_questions()
            for question in q.questions
            if q.article_id in by_golden
        ]
        self.conversations = [
            (by_golden[q.article_id], conversation.turns)
            for q in load_questions()
            for conversation in q.conversations
            if q.article_id in by_golden
        ]
        self.oversize = _oversize_body(max_body)

    def build(self, kind: str, n: int) -> Call:
        return getattr(self, "_" + kind.replace("-", "_"))(n)

    def _summary_new(self, n: int, engine: str) -> Call:
        # A new title changes the article id (a hash of title and text): never a cache hit.
        golden = self.stored[n % len(self.stored)][1]
        article = {"text": golden["text"], "format": golden["format"], "title": f"Load {n}"}
        return Call(
            "POST",
            "/v1/summaries",
            {"article": article, "engine": engine, "length": ("short", "medium")[n % 2]},
        )

    def _summary_repeat(self, n: int, engine: str) -> Call:
        # Four stored articles x two option sets: after the first few, the cache answers.
        article_id = self.stored[n % 4][0]
        return Call(
            "POST",
            "/v1/summaries",
            {"article_id": article_id, "engine": engine, "style": ("paragraph", "bullets")[n % 2]},
        )

    def _summary_llm_new(self, n: int) -> Call:
        return self._summary_new(n, "llm")

    def _summary_llm_repeat(self, n: int) -> Call:
        return self._summary_repeat(n, "llm")

    def _summary_extractive_new(self, n: int) -> Call:
        return self._summary_new(n, "extractive")

    def _summary_extractive_repeat(self, n: int) -> Call:
        return self._summary_repeat(n, "extractive")

    def _chat(self, n: int, engine: str, multi: bool, stream: bool = False) -> Call:
        # The request number in the last question makes each conversation new to the cache,
        # so chat always reaches the engine (and, for llm, the model).
        if multi:
            article_id, turns = self.conversations[n % len(self.conversations)]
            messages = _conversation(turns)
        else:
            article_id, question = self.questions[n % len(self.questions)]
            messages = [{"role": "user", "content": question}]
        messages[-1]["content"] += f" (#{n})"
        body = {"article_id": article_id, "messages": messages, "engine": engine}
        return Call("POST", "/v1/chat", body | ({"stream": True} if stream else {}), stream=stream)

    def _chat_llm_single(self, n: int) -> Call:
        return self._chat(n, "llm", multi=False)

    def _chat_llm_multi(self, n: int) -> Call:
        return self._chat(n, "llm", multi=True)

    def _chat_llm_stream(self, n: int) -> Call:
        return self._chat(n, "llm", multi=bool(n % 2), stream=True)

    def _chat_extractive_multi(self, n: int) -> Call:
        return self._chat(n, "extractive", multi=True)

    def _verify(self, n: int) -> Call:
        article_id, golden = self.stored[n % len(self.stored)]
        text = f"{golden['reference_summary']} The council voted {n} to 0 on Tuesday."
        return Call(
            "POST", "/v1/verify", {"source_id": article_id, "text": text, "judge": bool(n % 2)}
        )

    def _bad_json(self, n: int) -> Call:
        path = ("/v1/summaries", "/v1/chat", "/v1/verify", "/v1/articles")[n % 4]
        return Call(
            "POST",
            path,
            content=b'{"article": {"text": "unterminated',
            headers={"content-type": "application/json"},
        )

    def _unknown_id(self, n: int) -> Call:
        return [
            Call("POST", "/v1/summaries", {"article_id": UNKNOWN_ID}),
            Call(
                "POST",
                "/v1/chat",
                {"article_id": UNKNOWN_ID, "messages": [{"role": "user", "content": "Who?"}]},
            ),
            Call("POST", "/v1/verify", {"source_id": UNKNOWN_ID, "text": "A claim."}),
            Call("GET", f"/v1/articles/{UNKNOWN_ID}"),
        ][n % 4]

    def _oversize(self, n: int) -> Call:
        # One byte over the limit, as a valid JSON body; every other one chunked, so the
        # service must count bytes as they come instead of trusting Content-Length.
        path = ("/v1/summaries", "/v1/chat", "/v1/verify", "/v1/articles")[n % 4]
        return Call(
            "POST",
            path,
            content=self.oversize,
            chunked=bool(n % 2),
            headers={"content-type": "application/json"},
        )

    def _wrong_content_type(self, n: int) -> Call:
        body = json.dumps({"article_id": self.stored[0][0]}).encode()
        media = ("text/plain", "application/x-www-form-urlencoded", None)[n % 3]
        return Call(
            "POST", "/v1/summaries", content=body, headers={"content-type": media} if media else {}
        )


def _conversation(turns) -> list[dict[str, str]]:
    """Earlier turns answered with their golden answers, then the last question."""
    messages = []
    for turn in turns[:-1]:
        answer = turn.answer or "The article does not say."
        messages += [
            {"role": "user", "content": turn.question},
            {"role": "assistant", "content": answer},
        ]
    return messages + [{"role": "user", "content": turns[-1].question}]


def _oversize_body(limit: int) -> bytes:
    head, tail = b'{"article": {"text": "', b'"}}'
    return head + b"a" * (limit + 1 - len(head) - len(tail)) + tail


async def _chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


# --- load --------------------------------------------------------------------------------


async def _load(args: argparse.Namespace, service_url: str, pid: int) -> dict:
    async with _client(service_url, REQUEST_TIMEOUT_S) as setup:
        traffic = Traffic(await _store_articles(setup), args.max_body_bytes)
    schedule = itertools.cycle([kind for kind, (weight, _) in MIX.items() for _ in range(weight)])
    counter = itertools.count()
    outcomes: list[Outcome] = []
    rss: list[float] = []
    baseline = _rss_mib(pid)
    cpu_before = _cpu_seconds(pid)
    started = time.monotonic()
    deadline = started + args.seconds
    sampler = asyncio.create_task(_sample_rss(pid, rss))
    cut_off = False
    try:
        # The hard stop: a request that outlives its timeout (a stream that keeps trickling)
        # is cancelled, and the run reports what it has, flagged.
        async with asyncio.timeout(args.seconds + REQUEST_TIMEOUT_S + 5):
            await asyncio.gather(
                *(
                    _user(
                        service_url,
                        traffic,
                        schedule,
                        counter,
                        deadline,
                        args.max_requests,
                        outcomes,
                    )
                    for _ in range(args.concurrency)
                )
            )
    except TimeoutError:
        cut_off = True
    finally:
        sampler.cancel()
    wall = time.monotonic() - started
    return {
        "outcomes": outcomes,
        "wall": wall,
        "rss": rss,
        "baseline": baseline,
        "pid": pid,
        "cpu": _cpu_seconds(pid) - cpu_before,
        "cut_off": cut_off,
    }


def _client(service_url: str, timeout: float) -> httpx.AsyncClient:
    # One kept-alive connection per simulated user (a shared pool costs this process CPU that
    # two cores cannot spare; see bench/concurrency.py). trust_env=False: never via a proxy.
    return httpx.AsyncClient(
        base_url=service_url,
        timeout=timeout,
        trust_env=False,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )


async def _store_articles(client: httpx.AsyncClient) -> list[tuple[str, dict]]:
    stored = []
    for golden in load_articles():
        response = await client.post(
            "/v1/articles",
            json={"text": golden.text, "format": golden.format, "title": golden.title},
        )
        if response.status_code != 201:
            raise RuntimeError(f"storing {golden.id}: {response.status_code} {response.text[:300]}")
        stored.append((response.json()["id"], golden.model_dump()))
    return stored


async def _user(
    service_url: str,
    traffic: Traffic,
    schedule,
    counter,
    deadline: float,
    max_requests: int,
    outcomes: list[Outcome],
) -> None:
    async with _client(service_url, REQUEST_TIMEOUT_S) as client:
        while time.monotonic() < deadline:
            n = next(counter)  # one event loop: the counter and cycle need no lock
            if n >= max_requests:
                return
            kind = next(schedule)
            outcomes.append(await _timed(client, kind, traffic.build(kind, n), n))


async def _timed(client: httpx.AsyncClient, kind: str, call: Call, n: int) -> Outcome:
    request_id = f"load-{n}-{kind}"  # finds the request in the service log
    call.headers["x-request-id"] = request_id
    started = time.perf_counter()
    try:
        status, cached = await (_send_stream(client, call) if call.stream else _send(client, call))
    except httpx.TransportError as exc:
        status, cached = f"transport:{type(exc).__name__}", None
    return Outcome(kind, status, time.perf_counter() - started, cached, request_id)


async def _send(client: httpx.AsyncClient, call: Call) -> tuple[str, bool | None]:
    content = _chunks(call.content) if call.chunked else call.content
    response = await client.request(
        call.method, call.path, json=call.json, content=content, headers=call.headers
    )
    cached = None
    if response.status_code == 200 and "json" in response.headers.get("content-type", ""):
        cached = (response.json().get("usage") or {}).get("cached")
    return str(response.status_code), cached


async def _send_stream(client: httpx.AsyncClient, call: Call) -> tuple[str, bool | None]:
    """Reads the event stream to its end: a 200 is only a 200 if it ends with `done`."""
    async with client.stream(
        call.method, call.path, json=call.json, headers=call.headers
    ) as response:
        if response.status_code != 200:
            await response.aread()
            return str(response.status_code), None
        events, last_data = [], ""
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                events.append(line[6:].strip())
            elif line.startswith("data:"):
                last_data = line[5:].strip()
    if "error" in events:
        return f"200+error-event-{json.loads(last_data).get('status')}", None
    if not events or events[-1] != "done":
        return "200+no-done-event", None
    return "200", (json.loads(last_data).get("usage") or {}).get("cached")


# --- service process ---------------------------------------------------------------------


async def _sample_rss(pid: int, samples: list[float]) -> None:
    while True:
        if (mib := _rss_mib(pid)) is not None:
            samples.append(mib)
        await asyncio.sleep(SAMPLE_EVERY_S)


def _rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024  # the kernel reports kB
    except OSError:  # the process is gone, or not Linux
        return None
    return None


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


# --- report ------------------------------------------------------------------------------


def _print_report(report: dict, args: argparse.Namespace, log: Path) -> int:
    outcomes = report["outcomes"]
    print(
        f"footnoted load: {args.seconds:g} s, concurrency {args.concurrency}, scripted model "
        f"latency {args.latency:g} s, body limit {args.max_body_bytes} bytes, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"requests {len(outcomes)} in {report['wall']:.1f} s: "
        f"{len(outcomes) / report['wall']:.1f} req/s; service CPU {report['cpu']:.1f} s\n"
    )
    flagged = _print_kinds(outcomes)
    _print_statuses(outcomes, flagged)
    if report["cut_off"]:
        print("hard stop reached: requests still in flight were cancelled  <-- FLAGGED")
    _print_memory(report)
    _print_log_errors(log, flagged, args.keep_logs)
    return 1 if flagged or report["cut_off"] else 0


def _print_kinds(outcomes: list[Outcome]) -> list[Outcome]:
    """One row per kind; returns the outcomes that are 5xx or not expected for their kind."""
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    print(f"{'kind':27} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'cached':>7}  statuses")
    flagged = []
    for kind, (_, expected) in MIX.items():
        rows = by_kind.get(kind, [])
        bad = [o for o in rows if o.status not in expected or _is_5xx(o.status)]
        flagged += bad
        seconds = sorted(o.seconds for o in rows)
        statuses = " ".join(f"{s}:{c}" for s, c in sorted(Counter(o.status for o in rows).items()))
        cached = sum(bool(o.cached) for o in rows)
        mark = f"  UNEXPECTED ({len(bad)}; expected {'/'.join(sorted(expected))})" if bad else ""
        print(
            f"{kind:27} {len(rows):6} {_pct(seconds, 50):8.0f} {_pct(seconds, 99):8.0f} "
            f"{cached:7}  {statuses}{mark}"
        )
    return flagged


def _pct(sorted_seconds: list[float], pct: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_seconds:
        return float("nan")
    rank = max(1, -(-len(sorted_seconds) * pct // 100))
    return 1000 * sorted_seconds[int(rank) - 1]


def _is_5xx(status: str) -> bool:
    # A stream that failed after its 200 says so in an error event: its status counts too.
    code = status.rsplit("-", 1)[-1] if "error-event" in status else status
    return code[:1] == "5"


def _print_statuses(outcomes: list[Outcome], flagged: list[Outcome]) -> None:
    counts = Counter(o.status for o in outcomes)
    print("\nresponses by status: " + ", ".join(f"{s} {c}" for s, c in sorted(counts.items())))
    fives = [o for o in outcomes if _is_5xx(o.status)]
    print(f"5xx: {len(fives)}" + ("  <-- FLAGGED" if fives else " (none)"))
    print(
        f"unexpected for their kind: {len(flagged)}" + ("  <-- FLAGGED" if flagged else " (none)")
    )
    for outcome in flagged[:10]:
        print(f"  {outcome.request_id}: {outcome.status} after {outcome.seconds * 1000:.0f} ms")


def _print_memory(report: dict) -> None:
    rss = report["rss"]
    print(
        f"\nservice memory (VmRSS of pid {report['pid']}, every {SAMPLE_EVERY_S:g} s, "
        f"{len(rss)} samples): before load {_mib(report['baseline'])}, peak {max(rss):.1f} MiB, "
        f"last {rss[-1]:.1f} MiB"
        if rss
        else "\nservice memory: no samples (not Linux?)"
    )
    if len(rss) < 3:
        return
    step = max(1, len(rss) // 30)  # at most ~30 points, whatever the run's length
    print("  timeline MiB: " + " ".join(f"{m:.0f}" for m in rss[::step]))
    third = len(rss) // 3
    middle = statistics.mean(rss[third : 2 * third])
    last = statistics.mean(rss[2 * third :])
    growth = last - middle
    pct = 100 * growth / middle
    verdict = "flat" if pct <= FLAT_PCT else f"GROWING (over {FLAT_PCT:g}%)"
    print(
        f"  mean of middle third {middle:.1f} MiB, of last third {last:.1f} MiB: "
        f"growth {growth:+.1f} MiB ({pct:+.1f}%) -> {verdict}"
    )


def _mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} MiB"


def _print_log_errors(log: Path, flagged: list[Outcome], keep: bool) -> None:
    """The service's own account: ERROR lines, and the log lines of the flagged requests."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    errors = [line for line in lines if " ERROR " in line]
    print(f"\nservice log: {len(lines)} lines, {len(errors)} ERROR lines")
    for line in errors[:5]:
        print(f"  {line[:240]}")
    ids = {o.request_id for o in flagged[:5]}
    for line in (line for line in lines if any(i in line for i in ids)):
        print(f"  {line[:240]}")
    if errors:
        start = next(i for i, line in enumerate(lines) if " ERROR " in line)
        print("  first error in full:\n    " + "\n    ".join(lines[start : start + 30]))
    if keep:
        print("\n--- service log tail\n" + "\n".join(lines[-40:]))


if __name__ == "__main__":
    raise SystemExit(main())
