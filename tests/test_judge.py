import asyncio

from service.evals.answer_judge import judge
from service.evals.golden import GoldenQuestion
from service.evals.runner import CaseResult
from tests.fakes import ScriptedClient


def case(answer: str) -> CaseResult:
    result = CaseResult("c", "question", "a", "a")
    turn = GoldenQuestion(
        id="q", question="What did it cost?", answerable=True, answer="$3 million", support=["x"]
    )
    result.judged.append((turn, {"answer": answer}))
    return result


def test_runs_are_averaged_and_flips_counted():
    client = ScriptedClient()
    # Three runs over two cases: the first case flips between runs, the second never does.
    client.enqueue(
        '{"correct": true}',
        '{"correct": false}',
        '{"correct": false}',
        '{"correct": false}',
        '{"correct": true}',
        '{"correct": false}',
    )
    results = [case("It cost $3 million."), case("The article does not say.")]
    metrics = asyncio.run(judge(results, client, "m", runs=3))
    assert metrics["judge_flips"] == 1 and metrics["judge_runs"] == 3
    assert metrics["judge_accuracy"] == round((0.5 + 0 + 0.5) / 3, 4)
    assert metrics["judge_spread"] > 0
    assert results[0].scores["judge"] == [2 / 3] and results[1].scores["judge"] == [0.0]
    assert "Golden answer: $3 million" in client.calls[0][1]["content"]


def test_unanswerable_turns_are_not_judged():
    client = ScriptedClient()
    result = CaseResult("c", "question", "a", "a")
    result.judged.append(
        (
            GoldenQuestion(id="u", question="Who?", answerable=False, why="not said"),
            {"answer": "The article does not say."},
        )
    )
    assert asyncio.run(judge([result], client, "m", runs=2))["judge_flips"] == 0
    assert client.calls == []
