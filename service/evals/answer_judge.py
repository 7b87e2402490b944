"""A model as judge of answer correctness, when a model endpoint is configured.

Model-judged metrics vary between runs (METRICS.md): each answer is judged `runs` times; the
report gives the mean accuracy, the spread (population standard deviation of the per-run
accuracies) and the cases whose verdict flipped between runs.
"""

import asyncio
from statistics import mean, pstdev
from typing import Any

from pydantic import BaseModel

from ..domain.model import ModelClient, parse_json
from ..domain.prompts import Prompt, load_prompt
from .golden import GoldenQuestion
from .runner import CaseResult

JUDGE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["correct"],
    "properties": {"correct": {"type": "boolean"}},
}


class Verdict(BaseModel):
    correct: bool


async def judge(
    results: list[CaseResult], client: ModelClient, model: str, runs: int = 3
) -> dict[str, float]:
    """Adds `judge` scores to the cases; returns the judge metrics."""
    prompt = load_prompt("judge")
    items = [(r, turn, out) for r in results for turn, out in r.judged if turn.answerable]
    verdicts = await asyncio.gather(
        *(_ask(client, model, prompt, turn, out) for _ in range(runs) for _, turn, out in items)
    )
    per_run = [verdicts[i * len(items) : (i + 1) * len(items)] for i in range(runs)]
    for index, (result, _, _) in enumerate(items):
        result.score("judge", mean(run[index] for run in per_run))
    flips = sum(len({run[i] for run in per_run}) > 1 for i in range(len(items)))
    accuracies = [mean(run) for run in per_run] if items else [0.0]
    return {
        "judge_accuracy": round(mean(accuracies), 4),
        "judge_spread": round(pstdev(accuracies), 4),
        "judge_flips": flips,
        "judge_runs": runs,
    }


async def _ask(
    client: ModelClient, model: str, prompt: Prompt, turn: GoldenQuestion, output: dict[str, Any]
) -> float:
    messages = prompt.messages(question=turn.question, golden=turn.answer, answer=output["answer"])
    completion = await client.complete_json(
        model=model, messages=messages, schema_name="verdict", schema=JUDGE_SCHEMA, max_tokens=32
    )
    return float(parse_json(completion.text, Verdict).correct)
