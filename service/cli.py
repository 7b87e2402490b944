"""The `footnoted` command: serve the API; summarize, ask about or verify a file without a
server; run the eval suite; run the scripted model server or a local GGUF model."""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import contextlib
import os
from pathlib import Path
import signal
import sys
import threading

from pydantic import ValidationError

from .domain.conversation import ChatMessage
from .domain.engines.base import SummaryOptions
from .domain.errors import DomainError
from .domain.pipeline.chat import GroundedAnswer
from .domain.pipeline.verify_text import CheckedText
from .domain.reading.article import Article
from .domain.results import Grounded
from .model_client.local_model import (
    DEFAULT_CTX,
    DEFAULT_PARALLEL,
    LocalModelError,
    fetched,
    local_llm,
)
from .runtime import ArticleInput, Runtime, build_runtime, check_backends, check_llm_settings
from .settings import load_settings

_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)  # the subcommand's run_* function
        return code
    except BrokenPipeError:  # `footnoted summarize a.txt --json | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 0
    except KeyboardInterrupt:  # Ctrl-C, at a prompt or mid-answer: the work is cancelled
        print(file=sys.stderr, flush=True)
        sys.stdout.flush()
        # At once: the prompt's reader thread still holds stdin, and Python's own shutdown
        # would abort on that lock.
        os._exit(130)
    except (DomainError, LocalModelError, OSError, UnicodeDecodeError) as exc:
        print(f"footnoted: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a setting from the environment, or a message, is invalid
        print(f"footnoted: {_invalid(exc)}", file=sys.stderr)
        return 2


def _invalid(exc: ValidationError) -> str:
    def name(loc: tuple[int | str, ...]) -> str:
        field = ".".join(str(part) for part in loc)
        return f"FOOTNOTED_{field.upper()}" if exc.title == "Settings" else field

    return "; ".join(f"{name(e['loc'])}: {e['msg']}" for e in exc.errors())


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footnoted", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)
    summ = commands.add_parser("summarize", help="summarize a file (text, Markdown or HTML)")
    summ.add_argument("file", help="path, or - for standard input")
    summ.add_argument(
        "--format",
        choices=["text", "html", "markdown"],
        help="default: from the file name, else text",
    )
    summ.add_argument("--engine", choices=["extractive", "llm"])
    summ.add_argument("--length", choices=["short", "medium", "long"], default="short")
    summ.add_argument("--json", action="store_true", help="print the JSON response")
    summ.add_argument("--model", help="model name for the llm engine")
    summ.set_defaults(run=run_summarize)
    ask = commands.add_parser(
        "ask", help="ask about a file; with no question, chat in the terminal"
    )
    ask.add_argument("file", help="path, or - for standard input (then a question is required)")
    ask.add_argument("question", nargs="?", help="one question; leave out to chat turn after turn")
    ask.add_argument("--format", choices=["text", "html", "markdown"])
    ask.add_argument("--engine", choices=["extractive", "llm"])
    ask.add_argument("--model", help="model name for the llm engine")
    ask.add_argument("--json", action="store_true", help="print the JSON response")
    ask.set_defaults(run=run_ask)
    ver = commands.add_parser("verify", help="check a text against a source, claim by claim")
    ver.add_argument("source", help="the source file (text, Markdown or HTML by its extension)")
    ver.add_argument("text", help="the file with the text to check, or - for standard input")
    ver.add_argument("--json", action="store_true", help="print the JSON response")
    ver.add_argument("--judge", action="store_true", help="also have the model judge each claim")
    ver.set_defaults(run=run_verify)
    ev = commands.add_parser("eval", help="run the golden eval suite; exit 1 under thresholds")
    ev.add_argument("--engine", choices=["extractive", "llm"], default="extractive")
    ev.add_argument(
        "--report",
        type=Path,
        default=Path("reports/eval"),
        metavar="DIR",
        help="where report.json, report.md and report.html go",
    )
    ev.add_argument(
        "--thresholds",
        type=Path,
        metavar="FILE",
        help="TOML with [thresholds] minima and [maxima]; default evals/thresholds/"
        "<engine>.toml (llm-scripted.toml with --scripted)",
    )
    ev.add_argument("--base-url", help="evaluate a running server instead of in process")
    ev.add_argument(
        "--cases", metavar="PATTERN", help="only case ids matching (fnmatch), e.g. 'millbrook-*'"
    )
    ev.add_argument(
        "--compare", type=Path, metavar="OLD_REPORT.json", help="print what changed, case by case"
    )
    ev.add_argument(
        "--scripted",
        action="store_true",
        help="llm engine against the built-in scripted model (no endpoint needed)",
    )
    ev.add_argument("--model", help="model name for the llm engine")
    ev.add_argument("--concurrency", type=_positive, default=4, help="cases in flight at once")
    ev.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="llm engine: append every model response to FILE (no headers, no key)",
    )
    ev.add_argument(
        "--replay",
        type=Path,
        metavar="FILE",
        help="llm engine: answer model calls from a recording, offline",
    )
    ev.add_argument(
        "--judge",
        type=int,
        default=0,
        metavar="N",
        help="llm engine: also have the model judge each answer N times (mean, "
        "spread and flipped verdicts in the report)",
    )
    ev.set_defaults(run=run_evals)
    fake = commands.add_parser("fake-model", help="run the scripted OpenAI-compatible model server")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8100)
    fake.add_argument("--latency", type=float, default=0.0, help="seconds per completion")
    fake.set_defaults(run=run_fake_model)
    _local_model_parser(commands)
    return parser


def _local_model_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    local = commands.add_parser(
        "local-model", help="serve a GGUF over llama.cpp's OpenAI-compatible server (extra local)"
    )
    local.add_argument(
        "--gguf", metavar="PATH", help="the model file; default: the default small model, cached"
    )
    local.add_argument("--host", default="127.0.0.1")
    local.add_argument("--port", type=int, default=8080, help="0 for a free port")
    local.add_argument(
        "--ctx", type=_positive, default=DEFAULT_CTX, help="context tokens of each request"
    )
    local.add_argument(
        "--parallel", type=_positive, default=DEFAULT_PARALLEL, help="requests decoded at once"
    )
    local.add_argument(
        "--threads", type=_positive, help="CPU threads (default: the cores available, less one)"
    )
    local.add_argument("--api-key", help="require `Authorization: Bearer KEY` (health stays open)")
    local.add_argument("--verbose", action="store_true", help="llama.cpp's own log lines")
    local.set_defaults(run=run_local_model)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .http.app import create_app
    from .http.observability import configure_logging

    settings = fetched(load_settings())  # FOOTNOTED_LLM_GGUF: the file, fetched if need be
    check_llm_settings(settings)  # a configuration that cannot work stops here, in one line
    asyncio.run(check_backends(settings))  # so does a database or Redis that does not answer
    configure_logging(settings.log_level)
    # On SIGTERM uvicorn stops accepting, finishes the requests in flight (up to the grace
    # period), then runs the app's shutdown: the store and the model client close cleanly.
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        access_log=False,
        log_config=None,
        # uvicorn annotates it int, but only hands it to asyncio.wait_for: float is fine.
        timeout_graceful_shutdown=settings.shutdown_grace_s,  # type: ignore[arg-type]
    )
    return 0


def run_summarize(args: argparse.Namespace) -> int:
    async def summarize(runtime: Runtime, article: Article) -> None:
        result = await runtime.summarize(
            article, SummaryOptions(length=args.length), engine=args.engine, model=args.model
        )
        print(result.model_dump_json(indent=2) if args.json else render_footnotes(result))

    return asyncio.run(_with_article(args, summarize))


def run_ask(args: argparse.Namespace) -> int:
    if args.question is None and args.file == "-":
        print(
            "footnoted: give a question when the article comes from standard input", file=sys.stderr
        )
        return 2

    async def ask(runtime: Runtime, article: Article) -> None:
        if args.question is not None:
            await _answer(runtime, article, [ChatMessage(role="user", content=args.question)], args)
            return
        await _chat(runtime, article, args)

    return asyncio.run(_with_article(args, ask))


async def _chat(runtime: Runtime, article: Article, args: argparse.Namespace) -> None:
    """Turn after turn, history kept; an empty line or end of input ends it."""
    history: list[ChatMessage] = []
    print("Ask about the article (empty line to stop).")
    while question := (await _prompt("> ")).strip():
        history.append(ChatMessage(role="user", content=question))
        try:
            result = await _answer(runtime, article, history, args)
        except DomainError as exc:
            print(f"footnoted: {exc}", file=sys.stderr)
            history.pop()
            continue
        history.append(ChatMessage(role="assistant", content=result.answer))


async def _answer(
    runtime: Runtime, article: Article, messages: list[ChatMessage], args: argparse.Namespace
) -> GroundedAnswer:
    result = await runtime.chat(article, messages, engine=args.engine, model=args.model)
    print(result.model_dump_json(indent=2) if args.json else render_footnotes(result))
    return result


async def _prompt(prompt: str) -> str:
    """A line from the terminal, read in a daemon thread: Ctrl-C at the prompt ends the program
    at once (asyncio's own worker threads would keep it waiting for Enter)."""
    loop = asyncio.get_running_loop()
    line: asyncio.Future[str] = loop.create_future()

    def answer(text: str) -> None:
        if not line.done():
            line.set_result(text)

    def read() -> None:
        text = _read_line(prompt)
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
            loop.call_soon_threadsafe(answer, text)

    threading.Thread(target=read, daemon=True).start()
    return await line


def _read_line(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        return ""


async def _with_article(
    args: argparse.Namespace, work: Callable[[Runtime, Article], Awaitable[object]]
) -> int:
    """Read the file, open a throwaway runtime (in-memory store), run `work`, close."""
    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    fmt = args.format or _EXTENSIONS.get(Path(args.file).suffix.lower(), "text")
    # A throwaway store, and no shared counters: a command's failures are not the servers'.
    local = {"db": ":memory:", "redis_url": None}
    async with local_llm(load_settings().model_copy(update=local)) as settings:
        runtime = build_runtime(settings)
        try:
            await runtime.open()
            article = await runtime.add_article(ArticleInput(text=raw.decode("utf-8"), format=fmt))
            await work(runtime, article)
        finally:
            await runtime.close()
    return 0


def run_verify(args: argparse.Namespace) -> int:
    text = (sys.stdin.buffer.read() if args.text == "-" else Path(args.text).read_bytes()).decode(
        "utf-8"
    )
    args.file, args.format = args.source, None

    async def verify(runtime: Runtime, source: Article) -> None:
        result = await runtime.check(source, text, judge=args.judge or None)
        print(result.model_dump_json(indent=2) if args.json else render_checks(result))

    return asyncio.run(_with_article(args, verify))


def render_checks(result: CheckedText, width: int = 60) -> str:
    """A table: claim, verdict, support, the cited source sentences, one a line (a claim joining
    two sentences shows both, however long the first)."""
    rows = [("claim", "verdict", "support", "cited sentence")]
    for claim in result.claims:
        cited = [f"[{c.sentence_id}] {c.quote}" for c in claim.citations] or ["-"]
        rows.append((claim.text, claim.verdict, f"{claim.support:.2f}", cited[0]))
        rows += [("", "", "", more) for more in cited[1:]]
    lines = [f"{_cut(a, width):{width}}  {b:11}  {c:7}  {_cut(d, width)}" for a, b, c, d in rows]
    v = result.validation
    counts = f"{v.supported} of {v.claims} claims supported, {v.uncertain} uncertain"
    return "\n".join(lines) + f"\n\n{counts} ({v.status})"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_evals(args: argparse.Namespace) -> int:
    from .evals.command import EvalOptions, run_eval

    options = EvalOptions(
        engine=args.engine,
        report=args.report,
        thresholds=args.thresholds,
        base_url=args.base_url,
        cases=args.cases,
        compare=args.compare,
        scripted=args.scripted,
        model=args.model,
        concurrency=args.concurrency,
        record=args.record,
        replay=args.replay,
        judge_runs=args.judge,
    )
    return run_eval(options)


def run_fake_model(args: argparse.Namespace) -> int:
    import uvicorn

    from .model_client.scripted_server import MODES, FakeModel, create_fake_app

    print("scripted model server; the model name picks the behaviour:")
    for name, behaviour in MODES.items():
        print(f"  {name:15} {behaviour}")
    # A "hang" request never ends by itself: a stop waits for it one second at most.
    uvicorn.run(
        create_fake_app(FakeModel(latency_s=args.latency)),
        host=args.host,
        port=args.port,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    return 0


def run_local_model(args: argparse.Namespace) -> int:
    from .model_client.local_model import model_cache, resolve_gguf, serve_gguf

    gguf = resolve_gguf(args.gguf, model_cache(load_settings().model_cache))
    with serve_gguf(
        gguf,
        host=args.host,
        port=args.port,
        ctx=args.ctx,
        parallel=args.parallel,
        api_key=args.api_key,
        threads=args.threads,
        verbose=args.verbose,
    ) as served:
        print(f"serving {served.model} ({gguf}) at {served.base_url}", flush=True)
        print(f"  {served.ctx} context tokens a request, {served.parallel} requests at once")
        print(
            f"  FOOTNOTED_LLM_BASE_URL={served.base_url} FOOTNOTED_LLM_MODEL={served.model} "
            f"FOOTNOTED_LLM_CONTEXT_TOKENS={served.ctx} make serve",
            flush=True,
        )
        _wait_for_a_stop()
    return 0


def _wait_for_a_stop() -> None:
    """Until Ctrl-C or SIGTERM: the server runs on native threads, this one only waits."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):  # a short wait, so a signal is seen promptly
        pass


def render_footnotes(result: Grounded) -> str:
    """Each claim with a [n] after it, then the numbered quotes it rests on."""
    if not result.claims:  # an abstention, or an empty summary
        text = getattr(result, "answer", None) or getattr(result, "summary", "")
        return f"{text}\n\nvalidation: {result.validation.status}"
    lines: list[str] = []
    notes: list[str] = []
    for claim in result.claims:
        marks = []
        for citation in claim.citations:
            notes.append(
                f'[{len(notes) + 1}] "{citation.quote}" '
                f"(article chars {citation.start}-{citation.end})"
            )
            marks.append(f"[{len(notes)}]")
        flag = "" if claim.verdict == "supported" else " (unsupported)"
        lines.append(f"{claim.text}{''.join(marks)}{flag}")
    status = result.validation.status
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + f"\n\nvalidation: {status}"
