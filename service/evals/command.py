"""`footnoted eval`: run the golden cases against an engine or a server, score, report, gate."""

import asyncio
from contextlib import AsyncExitStack
from dataclasses import dataclass
import json
from pathlib import Path
import sys
from typing import Any

import httpx2

from ..domain.engines.extractive import ExtractiveEngine
from ..model_client.local_model import local_llm
from ..model_client.scripted_server import FakeModelServer
from ..runtime import build_runtime
from ..settings import load_settings
from .aggregate import aggregate
from .answer_judge import judge
from .cases import build_cases
from .gate import failures, load_thresholds, regressions
from .golden import GOLDEN_DIR, GoldenArticle, GoldenQuestions, load_articles, load_questions
from .recording import recording_client, replay_client
from .report import report_data, write_reports
from .runner import CaseResult, run_cases
from .targets import EngineTarget, HttpTarget, Target
from .validate import validate

THRESHOLDS_DIR = GOLDEN_DIR.parent / "thresholds"


@dataclass
class EvalOptions:
    engine: str = "extractive"
    report: Path = Path("reports/eval")
    thresholds: Path | None = None
    base_url: str | None = None
    cases: str | None = None
    compare: Path | None = None
    scripted: bool = False
    model: str | None = None
    concurrency: int = 4
    record: Path | None = None
    replay: Path | None = None
    judge_runs: int = 0  # 0: no model judge


def run_eval(options: EvalOptions) -> int:
    articles, questions = load_articles(), load_questions()
    if problems := validate(articles, questions):
        print("golden data problems:", *problems, sep="\n  ", file=sys.stderr)
        return 2
    return asyncio.run(_run(options, articles, questions))


async def _run(
    options: EvalOptions, articles: list[GoldenArticle], questions: list[GoldenQuestions]
) -> int:
    cases = build_cases(articles, questions, options.cases)
    if not cases:
        print(f"no case matches {options.cases!r}", file=sys.stderr)
        return 2
    # Read before this run writes its own report, which may be the very file compared with.
    try:
        baseline = json.loads(options.compare.read_text()) if options.compare else None
        if baseline is not None and not {"cases", "metrics"} <= set(baseline):
            raise ValueError("it has no `cases` and `metrics`: not a report.json of footnoted eval")
    except (OSError, ValueError, TypeError) as exc:
        print(f"cannot read the report to compare with: {exc}", file=sys.stderr)
        return 2
    async with AsyncExitStack() as stack:
        target, about = await _target(options, stack)
        results = await run_cases(cases, target, options.concurrency, progress=sys.stderr.isatty())
        built = {r.article_id: r.article for r in results if r.article is not None}
        judged = await _judge(options, results, target)
    metrics = aggregate(results) | judged
    minima, maxima = load_thresholds(options.thresholds or default_thresholds(options))
    failed = failures(metrics, minima, maxima)
    about |= _versions(results)
    data = report_data(results, metrics, built, about, minima, maxima, failed)
    paths = write_reports(data, options.report)
    _print_summary(data, paths, options.compare, baseline)
    return 0 if not failed else 1


def default_thresholds(options: EvalOptions) -> Path:
    name = "llm-scripted" if options.engine == "llm" and options.scripted else options.engine
    return THRESHOLDS_DIR / f"{name}.toml"


async def _target(options: EvalOptions, stack: AsyncExitStack) -> tuple[Target, dict[str, Any]]:
    about: dict[str, Any] = {"engine": options.engine, "cases_filter": options.cases}
    if options.base_url:
        target = HttpTarget(options.base_url, options.engine)
        stack.push_async_callback(target.close)
        return target, about | {"target": options.base_url}
    if options.engine == "extractive":
        return EngineTarget(ExtractiveEngine()), about | {"target": "in process"}
    # A throwaway store, and no shared counters: the eval's failures are not the servers'.
    settings = load_settings().model_copy(update={"db": ":memory:", "redis_url": None})
    if options.scripted or options.replay:  # these answer in place of any local GGUF
        settings = settings.model_copy(update={"llm_gguf": None})
    else:  # FOOTNOTED_LLM_GGUF: its local server runs for the eval
        settings = await stack.enter_async_context(local_llm(settings))
    if options.scripted:
        server = stack.enter_context(FakeModelServer())
        settings = settings.model_copy(
            update={"llm_base_url": server.base_url, "llm_model": "good"}
        )
    if options.replay:  # any endpoint will do: the recording answers
        settings = settings.model_copy(
            update={"llm_base_url": settings.llm_base_url or "http://replay.invalid/v1"}
        )
    runtime = build_runtime(settings, http_client=_http_client(options))
    stack.push_async_callback(runtime.close)
    engine = runtime.engine("llm", options.model)
    where = (
        "scripted model"
        if options.scripted
        else (f"replay of {options.replay}" if options.replay else "model endpoint")
    )
    return EngineTarget(engine), about | {"target": f"in process, {where}"}


async def _judge(
    options: EvalOptions, results: list[CaseResult], target: Target
) -> dict[str, float]:
    """The model judge, when asked for and the target has a model to judge with."""
    engine = getattr(target, "engine", None)
    if not options.judge_runs or engine is None or not hasattr(engine, "client"):
        return {}
    return await judge(results, engine.client, engine.model, options.judge_runs)


def _http_client(options: EvalOptions) -> httpx2.AsyncClient | None:
    if options.record:
        return recording_client(options.record)
    if options.replay:
        return replay_client(options.replay)
    return None


def _versions(results: list[CaseResult]) -> dict[str, Any]:
    outputs = [out for r in results for out in r.outputs]
    first = outputs[0] if outputs else {}
    return {"model": first.get("model", "?"), "prompt_version": first.get("prompt_version", "?")}


def _print_summary(
    data: dict[str, Any], paths: list[Path], compare: Path | None, baseline: dict[str, Any] | None
) -> None:
    print(
        f"{len(data['cases'])} cases, engine {data['engine']} ({data['model']}): "
        f"{'PASSED' if data['passed'] else 'FAILED'}"
    )
    for name, value in data["metrics"].items():
        print(f"  {name:24} {value}")
    for line in data["failures"]:
        print(f"FAIL {line}")
    if baseline is not None:
        changes = regressions(baseline, data)
        print(f"compared with {compare}: {len(changes)} change(s)")
        for line in changes:
            print(f"  {line}")
    print("reports: " + ", ".join(str(p) for p in paths))
