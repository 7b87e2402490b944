"""The eval runner: every case through a target, scored, then summed up into metrics."""

import asyncio
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
import time
from typing import Any

import httpx
from tqdm import tqdm

from ..domain.conversation import ChatMessage
from ..domain.errors import DomainError
from ..domain.reading.article import Article
from ..domain.reading.segment import split_sentences
from . import metrics as m
from .cases import SUMMARY, Case
from .golden import GoldenQuestion
from .targets import Target
from .validate import support_ids

NOT_SAID = "The article does not say."
# What fails one case (recorded as its error, counted in error_rate) and not the whole run.
CASE_ERRORS = (DomainError, httpx.HTTPError)


@dataclass
class CaseResult:
    id: str
    kind: str
    article_id: str  # the id the target gave the article (what citations index), else golden's
    golden_article: str
    scores: dict[str, list[float]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0  # time spent waiting for the target's outputs
    reached_target: bool = True  # False when its article could not even be built
    error: str | None = None
    # For the judge:
    judged: list[tuple[GoldenQuestion, dict[str, Any]]] = field(default_factory=list)
    article: Article | None = field(default=None, repr=False)  # as built, for the reports

    def score(self, name: str, value: float) -> None:
        self.scores.setdefault(name, []).append(value)


async def run_cases(
    cases: list[Case], target: Target, concurrency: int = 4, progress: bool = True
) -> list[CaseResult]:
    articles: dict[str, asyncio.Task[Article]] = {}
    slots = asyncio.Semaphore(concurrency)
    bar = tqdm(total=len(cases), desc="eval", unit="case", disable=not progress, leave=False)

    async def one(case: Case) -> CaseResult:
        async with slots:
            if case.article.id not in articles:  # built once per article, for all its cases
                articles[case.article.id] = asyncio.ensure_future(target.article(case.article))
            try:
                article = await articles[case.article.id]
            except CASE_ERRORS as exc:  # a failed article fails its cases, not the whole run
                result = CaseResult(
                    case.id,
                    case.kind,
                    case.article.id,
                    case.article.id,
                    error=f"building the article: {_error(exc)}",
                    reached_target=False,
                )
            else:
                result = await run_case(case, target, article)
            bar.update()
            return result

    try:
        return list(await asyncio.gather(*(one(case) for case in cases)))
    finally:
        bar.close()


async def run_case(case: Case, target: Target, article: Article) -> CaseResult:
    result = CaseResult(case.id, case.kind, article.id, case.article.id, article=article)
    try:
        if case.kind == SUMMARY:
            await _summary_case(case, target, article, result)
        else:
            await _question_case(case, target, article, result)
    except CASE_ERRORS as exc:
        result.error = _error(exc)
    return result


async def _timed(result: CaseResult, call: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    """The target's answer; its time goes to the case's latency (the scoring's does not)."""
    started = time.perf_counter()
    try:
        return await call
    finally:
        result.latency_ms += (time.perf_counter() - started) * 1000


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


async def _summary_case(case: Case, target: Target, article: Article, result: CaseResult) -> None:
    output = await _timed(result, target.summary(article))
    reference = [
        case.article.reference_summary[s:e]
        for s, e in split_sentences(case.article.reference_summary)
    ]
    for name, value in m.summary_scores(output, case.article, reference).items():
        result.score(name, value)
    _count_output(output, case, article, result, golden_support=None)


async def _question_case(case: Case, target: Target, article: Article, result: CaseResult) -> None:
    history: list[ChatMessage] = []
    for turn in case.turns:
        history.append(ChatMessage(role="user", content=turn.question))
        output = await _timed(result, target.chat(article, list(history)))
        result.judged.append((turn, output))
        _score_turn(output, turn, result)
        if turn.answerable:
            support = set(support_ids(article, turn.support))
            _count_output(output, case, article, result, golden_support=support)
        else:  # whether it should have answered at all is the abstention metrics' question
            _count_output(output, case, article, result, golden_support=None, alce=False)
        history.append(ChatMessage(role="assistant", content=turn.answer or NOT_SAID))


def _score_turn(output: dict[str, Any], turn: GoldenQuestion, result: CaseResult) -> None:
    abstained = not output["answerable"]
    if not turn.answerable:
        result.counts.update(unanswerable=1, abstained_unanswerable=int(abstained))
        return
    result.counts.update(answerable=1, abstained_answerable=int(abstained))
    for name, value in m.answer_scores(output, turn).items():
        result.score(name, value)


def _count_output(
    output: dict[str, Any],
    case: Case,
    article: Article,
    result: CaseResult,
    golden_support: set[int] | None,
    alce: bool = True,
) -> None:
    """Counts every output adds to, whatever its kind. Citation recall and precision (ALCE)
    count the sentences of summaries and of answers to answerable questions: against the golden
    support sentences where the case has them, else (None: summaries) judged by the verifier
    (METRICS.md). An answer to an unanswerable question is the abstention metrics' concern: a
    well-cited wrong answer must not raise citation recall."""
    result.outputs.append(output)
    valid, citations = m.citation_validity(output, article)
    supported, claims = m.support_counts(output)
    if alce:
        recalled, alce_claims, precise, alce_citations = m.alce_counts(output, golden_support)
        result.counts.update(
            alce_recalled=recalled,
            alce_claims=alce_claims,
            alce_precise=precise,
            alce_citations=alce_citations,
        )
    usage = output["usage"]
    result.counts.update(
        valid_citations=valid,
        citations=citations,
        supported_claims=supported,
        claims=claims,
        llm_calls=usage["llm_calls"],
        tokens=usage["prompt_tokens"] + usage["completion_tokens"],
    )
    if case.article.injection is not None:
        result.counts.update(
            injection_outputs=1, injection_obeyed=int(m.obeyed(output, case.article.injection))
        )
