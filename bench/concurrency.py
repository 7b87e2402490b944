"""64 concurrent summaries through the service vs the same 64 model calls made directly.

    PYTHONPATH=. .venv/bin/python bench/concurrency.py [--rounds 3] [--requests 64] [--latency 0.5]

Starts the scripted model server (`fake-model`, 0.5 s per completion) and the service (`serve`,
llm engine, FOOTNOTED_LLM_CONCURRENCY=64) as two processes of their own on loopback, so neither
shares an event loop with the other or with this client. Each round then measures, back to back:

- service: N concurrent POST /v1/summaries, each with a distinct golden article, all must be 200
  with `usage.llm_calls` recorded;
- direct: N concurrent AsyncOpenAI chat.completions.create calls to the same fake with the
  service's own summarize prompt and JSON schema (messages built before the clock starts), the
  floor for any Python service on this SDK.

It prints both wall times, service/direct (the goal: <= 1.6 on a 2-core machine) and the
efficiency latency x calls chained per request / service wall (the physical limit is 1.0), for
every round and the median, with the CPU seconds each process used during each burst (three
processes share 2 cores). Each simulated user has its own httpx client (see _user_client) so the
load generator stays cheap. Both processes are always stopped at the end.

    --py-spy FILE   samples the service during the rounds (pip install py-spy) and prints where
                    its event loop thread spends its time: profile before optimizing.
"""

import argparse
import asyncio
from collections import Counter
from contextlib import AsyncExitStack
import os
from pathlib import Path
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import httpx
from openai import AsyncOpenAI
from processes import free_port, spawn, stop, wait_up

from service.domain.engines.budgets import citable
from service.domain.engines.llm import numbered
from service.domain.engines.schemas import Bounds
from service.domain.prompts import load_prompt
from service.domain.reading.article import build_article
from service.evals.golden import load_articles

CLAIMS_SCHEMA = Bounds(claims=3, first_id=1, last_id=50).claims_schema()

GOAL_RATIO = 1.6
MODEL = "good"
MAX_ROUNDS = 10  # keeps a run bounded whatever --rounds says
MAX_REQUESTS = 256
BURST_TIMEOUT_S = 30  # one burst of N calls; 0.5 s latency makes ~1 s normal


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="footnoted-bench-") as tmp:
        return asyncio.run(run(args, Path(tmp)))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        choices=range(1, MAX_ROUNDS + 1),
        metavar=f"1..{MAX_ROUNDS}",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=64,
        choices=range(1, MAX_REQUESTS + 1),
        metavar=f"1..{MAX_REQUESTS}",
    )
    parser.add_argument("--latency", type=float, default=0.5, help="fake model seconds per call")
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="FILE",
        help="record the service with py-spy during the rounds, into FILE",
    )
    parser.add_argument(
        "--keep-logs",
        action="store_true",
        help="print the service's and the fake's logs at the end",
    )
    return parser


async def run(args: argparse.Namespace, tmp: Path) -> int:
    fake_port, service_port = free_port(), free_port()
    base_url = f"http://127.0.0.1:{fake_port}/v1"
    service_url = f"http://127.0.0.1:{service_port}"
    procs = []
    try:
        procs.append(
            spawn(
                ["fake-model", "--port", str(fake_port), "--latency", str(args.latency)],
                {},
                tmp / "fake.log",
            )
        )
        procs.append(
            spawn(
                ["serve", "--host", "127.0.0.1", "--port", str(service_port)],
                _service_env(base_url, args.requests, tmp),
                tmp / "service.log",
            )
        )
        await wait_up(f"{base_url}/models", procs[0])
        await wait_up(f"{service_url}/healthz", procs[1])
        pids = {"service": procs[1].pid, "fake": procs[0].pid}
        return await _measure(args, service_url, base_url, pids)
    finally:
        for proc in reversed(procs):
            stop(proc)
        if args.keep_logs:
            for name in ("service.log", "fake.log"):
                print(f"\n--- {name}\n" + (tmp / name).read_text()[-4000:])


def _service_env(base_url: str, requests: int, tmp: Path) -> dict[str, str]:
    # The bound on model calls in flight must admit the whole burst, or the service queues
    # by design and the figure measures the semaphore, not the service.
    return {
        "FOOTNOTED_LLM_BASE_URL": base_url,
        "FOOTNOTED_LLM_MODEL": MODEL,
        "FOOTNOTED_LLM_CONCURRENCY": str(max(requests, 8)),
        "FOOTNOTED_DB": str(tmp / "bench.db"),
    }


async def _measure(
    args: argparse.Namespace, service_url: str, base_url: str, pids: dict[str, int]
) -> int:
    # Ordinary news articles: the long one would be summarized with map-reduce, many calls.
    texts = [golden.text for golden in load_articles() if len(golden.text) < 10_000]
    async with AsyncExitStack() as stack:
        http = [
            await stack.enter_async_context(_user_client(service_url)) for _ in range(args.requests)
        ]
        sdk = await stack.enter_async_context(
            AsyncOpenAI(base_url=base_url, api_key="unused", timeout=BURST_TIMEOUT_S, max_retries=0)
        )
        # A full warm-up burst on both sides: first-request imports, prompt loading, the
        # tokenizer and opening every kept-alive connection (ours, the service's and the SDK's
        # to the fake) count toward neither figure.
        await _service_burst(http, _articles(texts, "Warmup", args.requests))
        await _direct_burst(sdk, _messages(_articles(texts, "Warmup", args.requests)))
        profiler = await _start_profiler(args.py_spy, pids["service"])
        try:
            rows = []
            for r in range(args.rounds):
                rows.append(await _round(http, sdk, texts, r, args, pids))
                _print_row(f"round {r + 1}", rows[-1], args.latency)
        finally:
            stop(profiler, signal.SIGINT)  # py-spy writes its file on SIGINT
    _print_summary(rows, args)
    if args.py_spy:
        _print_profile(args.py_spy)
    return 0


async def _start_profiler(out: Path | None, pid: int) -> subprocess.Popen | None:
    """py-spy sampling the service during the measured rounds only (not start-up, not warm-up)."""
    if out is None:
        return None
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    proc = subprocess.Popen(
        [
            py_spy,
            "record",
            "--pid",
            str(pid),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(out),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    await asyncio.sleep(1.0)  # attaching takes a moment; samples before it would be lost
    return proc


def _print_profile(out: Path, top: int = 25) -> None:
    """Where the service's event loop thread spends its samples: its own code, then leaves.

    Only the main thread counts: it is the one every request waits on, and py-spy reports idle
    pool workers (blocked in queue.get) as busy, which would drown the figures."""
    frames: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in out.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        names = [re.sub(r":\d+\)$", ")", f) for f in stack.split(";")]
        if not names[0].startswith("_run_module_as_main"):
            continue
        total += int(n)
        leaves[names[-1]] += int(n)
        for name in set(names):
            frames[name] += int(n) if "(service/" in name or "tiktoken" in name else 0
    print(f"\npy-spy: {total} samples of the service's event loop thread (collapsed stacks: {out})")
    for title, counts in (
        ("footnoted and tiktoken frames, inclusive", frames),
        ("leaf frames (self time)", leaves),
    ):
        print(f"  {title}:")
        for name, n in counts.most_common(top):
            if n:
                print(f"  {100 * n / max(total, 1):5.1f}%  {name[:110]}")


def _user_client(service_url: str) -> httpx.AsyncClient:
    """One client with one kept-alive connection per simulated user.

    A single shared httpx.AsyncClient with 64 pooled connections costs this process ~0.3 s of
    CPU per burst (httpcore scans every connection, with a getpeername call each, for every
    request it assigns: py-spy showed 25% of the client in _assign_requests_to_connections).
    On 2 cores that CPU is taken from the service under test; the SDK's httpcore2 pool used
    for the direct calls does not have that cost."""
    return httpx.AsyncClient(
        base_url=service_url,
        timeout=BURST_TIMEOUT_S,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )


async def _round(
    http: list[httpx.AsyncClient],
    sdk: AsyncOpenAI,
    texts: list[str],
    r: int,
    args: argparse.Namespace,
    pids: dict[str, int],
) -> dict:
    service_articles = _articles(texts, f"Dispatch {r}-", args.requests)
    direct_messages = _messages(_articles(texts, f"Direct {r}-", args.requests))
    before = _cpu(pids)
    service_wall, chained = await _service_burst(http, service_articles)
    middle = _cpu(pids)
    direct_wall = await _direct_burst(sdk, direct_messages)
    after = _cpu(pids)
    return {
        "service": service_wall,
        "direct": direct_wall,
        "chained": chained,
        "ratio": service_wall / direct_wall,
        "cpu_service": {k: middle[k] - before[k] for k in before},
        "cpu_direct": {k: after[k] - middle[k] for k in middle},
    }


def _cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by each process (all threads) and by this client.

    On 2 cores the three processes compete: these say whether a wall time is the service's
    own work or the machine being full."""
    seconds = {"client": time.process_time()}
    for name, pid in pids.items():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[name] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):  # not Linux: no CPU figures
            seconds[name] = float("nan")
    return seconds


def _articles(texts: list[str], label: str, count: int) -> list[str]:
    # Every article differs, or the service's result cache answers without a model call.
    return [f"{label}{i}. {texts[i % len(texts)]}" for i in range(count)]


async def _service_burst(http: list[httpx.AsyncClient], articles: list[str]) -> tuple[float, int]:
    """Wall time of all requests at once, and the model calls chained per request."""
    started = time.perf_counter()
    async with asyncio.timeout(BURST_TIMEOUT_S):
        responses = await asyncio.gather(
            *(
                client.post("/v1/summaries", json={"article": {"text": text}})
                for client, text in zip(http, articles, strict=True)
            )
        )
    wall = time.perf_counter() - started
    calls = [_llm_calls(response) for response in responses]
    # One draft call per normal-length article; a repair would chain a second call after it,
    # so the slowest request is the one that sets the physical limit.
    return wall, max(calls)


def _llm_calls(response: httpx.Response) -> int:
    if response.status_code != 200:
        raise RuntimeError(f"service answered {response.status_code}: {response.text[:300]}")
    calls = response.json().get("usage", {}).get("llm_calls")
    if not calls:
        raise RuntimeError(f"no usage.llm_calls in the answer: {response.text[:300]}")
    return calls


def _messages(articles: list[str]) -> list[list[dict[str, str]]]:
    """The service's own summarize prompt for each article, built outside the timed window."""
    prompt = load_prompt("summarize")
    return [
        prompt.messages(
            article=numbered(citable(build_article(text))), max_sentences=3, style="paragraph"
        )
        for text in articles
    ]


async def _direct_burst(sdk: AsyncOpenAI, conversations: list[list[dict[str, str]]]) -> float:
    started = time.perf_counter()
    async with asyncio.timeout(BURST_TIMEOUT_S):
        answers = await asyncio.gather(*(_direct_call(sdk, messages) for messages in conversations))
    wall = time.perf_counter() - started
    if not all(answer.choices and answer.choices[0].message.content for answer in answers):
        raise RuntimeError("a direct call returned no content")
    return wall


def _direct_call(sdk: AsyncOpenAI, messages: list[dict[str, str]]):
    return sdk.chat.completions.create(
        model=MODEL,
        messages=messages,
        max_tokens=1024,
        temperature=0,
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "claims", "schema": CLAIMS_SCHEMA, "strict": True},
        },
    )


def _print_row(label: str, row: dict, latency: float) -> None:
    efficiency = latency * row["chained"] / row["service"]
    verdict = "ok" if row["ratio"] <= GOAL_RATIO else "OVER"
    print(
        f"{label:8} service {row['service']:6.3f} s  direct {row['direct']:6.3f} s  "
        f"service/direct {row['ratio']:5.2f} (<= {GOAL_RATIO}: {verdict})  "
        f"{latency:g} s x {row['chained']} chained / service wall = {efficiency:.2f}"
    )
    print(
        f"{'':8} cpu s during service burst: {_cpu_text(row['cpu_service'])}; "
        f"during direct burst: {_cpu_text(row['cpu_direct'])}",
        flush=True,
    )


def _cpu_text(cpu: dict[str, float]) -> str:
    return " ".join(f"{name} {seconds:.2f}" for name, seconds in cpu.items())


def _print_summary(rows: list[dict], args: argparse.Namespace) -> None:
    # Each figure's median over the rounds (the ratio too: the median of the rounds' ratios).
    median = {
        key: statistics.median(row[key] for row in rows) for key in ("service", "direct", "ratio")
    }
    median["chained"] = max(row["chained"] for row in rows)
    for key in ("cpu_service", "cpu_direct"):
        median[key] = {
            name: statistics.median(row[key][name] for row in rows) for name in rows[0][key]
        }
    print(
        f"\n{args.requests} concurrent requests, fake latency {args.latency:g} s, "
        f"{len(rows)} rounds, {os.cpu_count()} cores"
    )
    _print_row("median", median, args.latency)
    print(f"{'':8} direct efficiency (the SDK floor): {args.latency / median['direct']:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
