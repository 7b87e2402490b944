"""The `footnoted` command: serve the API, or summarize a file once without a server."""

import argparse
import asyncio
from pathlib import Path
import sys

from .domain.engines.base import SummaryOptions
from .domain.errors import DomainError
from .domain.grounded import GroundedSummary
from .runtime import ArticleInput, build_runtime
from .settings import load_settings

_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (DomainError, OSError, UnicodeDecodeError) as exc:
        print(f"footnoted: {exc}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footnoted", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=run_serve)
    summ = commands.add_parser("summarize", help="summarize a file (text, Markdown or HTML)")
    summ.add_argument("file", help="path, or - for standard input")
    summ.add_argument("--format", choices=["text", "html", "markdown"],
                      help="default: from the file name, else text")
    summ.add_argument("--engine", choices=["extractive", "llm"])
    summ.add_argument("--length", choices=["short", "medium", "long"], default="short")
    summ.add_argument("--json", action="store_true", help="print the JSON response")
    summ.add_argument("--model", help="model name for the llm engine")
    summ.set_defaults(run=run_summarize)
    fake = commands.add_parser("fake-model", help="run the scripted OpenAI-compatible model server")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8100)
    fake.add_argument("--latency", type=float, default=0.0, help="seconds per completion")
    fake.set_defaults(run=run_fake_model)
    return parser


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .http.app import create_app
    from .http.observability import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, access_log=False,
                log_config=None)
    return 0


def run_summarize(args: argparse.Namespace) -> int:
    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    fmt = args.format or _EXTENSIONS.get(Path(args.file).suffix.lower(), "text")
    text = raw.decode("utf-8")
    result = asyncio.run(_summarize_once(text, fmt, args))
    print(result.model_dump_json(indent=2) if args.json else render_footnotes(result))
    return 0


async def _summarize_once(text: str, fmt: str, args: argparse.Namespace) -> GroundedSummary:
    runtime = build_runtime(load_settings().model_copy(update={"db": ":memory:"}))
    try:
        article = runtime.add_article(ArticleInput(text=text, format=fmt))
        return await runtime.summarize(article, SummaryOptions(length=args.length),
                                       engine=args.engine, model=args.model)
    finally:
        await runtime.close()


def run_fake_model(args: argparse.Namespace) -> int:
    import uvicorn

    from .fake_model import MODES, FakeModel, create_fake_app

    print("scripted model server; the model name picks the behaviour:")
    for name, behaviour in MODES.items():
        print(f"  {name:15} {behaviour}")
    uvicorn.run(create_fake_app(FakeModel(latency_s=args.latency)), host=args.host,
                port=args.port, access_log=False)
    return 0


def render_footnotes(result: GroundedSummary) -> str:
    """The summary with a [n] after each claim, then the numbered quotes it rests on."""
    lines, notes = [], []
    for claim in result.claims:
        marks = []
        for citation in claim.citations:
            notes.append(f"[{len(notes) + 1}] \"{citation.quote}\" "
                         f"(article chars {citation.start}-{citation.end})")
            marks.append(f"[{len(notes)}]")
        flag = "" if claim.verdict == "supported" else " (unsupported)"
        lines.append(f"{claim.text}{''.join(marks)}{flag}")
    status = result.validation.status
    return "\n".join(lines) + f"\n\n" + "\n".join(notes) + f"\n\nvalidation: {status}"
