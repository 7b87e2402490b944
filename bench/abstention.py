"""The extractive engine's answer/abstain trade-off on the golden questions.

    .venv/bin/python bench/abstention.py                                  # the tuning set
    .venv/bin/python bench/abstention.py --questions evals/heldout/questions  # held out

For each threshold on the answer model's probability that the answer sentence answers
(service/domain/verification/answering.py), prints: the share of
answerable questions (single questions and conversation turns) whose golden answer stands in the
answer (fact match, METRICS.md), the share of unanswerable ones on which it abstains, and the
false-abstention rate. A threshold is judged by its worse distance to the goal (fact match 0.85,
abstention 0.75); the model's shipped threshold is marked, and so are the best threshold overall
and the best one that keeps the eval gate's answer bounds (evals/thresholds/extractive.toml).

A threshold picked on these rows flatters the rows it was picked on, so the report ends with
cross-validated figures: for each article, the threshold is chosen on the other articles and
the held-out article is answered with it (leave one article out); the held-out outcomes are
pooled.
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

from service.domain.conversation import ChatMessage
from service.domain.engines import extractive
from service.domain.reading.article import build_article
from service.domain.verification.answering import answering_model
from service.evals.answers import fact_match
from service.evals.gate import load_thresholds
from service.evals.golden import load_articles, load_questions

THRESHOLDS = [round(0.025 * i, 3) for i in range(0, 33)]  # on the probability
SHOWN = THRESHOLDS[::2]  # every 0.05
GOAL_FACT, GOAL_ABSTAIN = 0.85, 0.75
GATE = Path(__file__).resolve().parents[1] / "evals" / "thresholds" / "extractive.toml"


@dataclass(frozen=True)
class Outcome:
    article_id: str
    answerable: bool
    fact: bool  # the golden answer stands in the answer
    abstained: bool


@dataclass(frozen=True)
class Bounds:
    """What the eval gate asks of answers: minimum fact match and abstention, maximum false
    abstention."""

    fact: float = 0.0
    abstain: float = 0.0
    false_abstain: float = 1.0


def gate_bounds(path: Path = GATE) -> Bounds:
    minima, maxima = load_thresholds(path)
    return Bounds(
        minima.get("answer_fact_match", 0.0),
        minima.get("abstention_recall", 0.0),
        maxima.get("false_abstention_rate", 1.0),
    )


def cases(questions: Path | None = None):
    """(article id, article, messages, golden turn) for every question and conversation turn."""
    articles = {a.id: build_article(a.text, title=a.title) for a in load_articles()}
    for golden in load_questions(questions) if questions else load_questions():
        article = articles[golden.article_id]
        for q in golden.questions:
            yield golden.article_id, article, [ChatMessage(role="user", content=q.question)], q
        for conversation in golden.conversations:
            history: list[ChatMessage] = []
            for turn in conversation.turns:
                history.append(ChatMessage(role="user", content=turn.question))
                yield golden.article_id, article, list(history), turn
                reply = turn.answer if turn.answerable else "The article does not say."
                history.append(ChatMessage(role="assistant", content=reply))


def outcomes(threshold: float, all_cases) -> list[Outcome]:
    found = []
    for article_id, article, messages, golden in all_cases:
        texts = [h.sentence.text for h in extractive.answer_hits(article, messages, threshold)]
        fact = golden.answerable and bool(texts) and fact_match(golden.answer, *texts)
        found.append(Outcome(article_id, golden.answerable, fact, not texts))
    return found


def rates(rows: list[Outcome]) -> tuple[float, float, float]:
    """(fact match, abstention on unanswerable, false abstention on answerable)."""
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    return (
        sum(r.fact for r in answerable) / max(len(answerable), 1),
        sum(r.abstained for r in unanswerable) / max(len(unanswerable), 1),
        sum(r.abstained for r in answerable) / max(len(answerable), 1),
    )


def merit(rows: list[Outcome], bounds: Bounds) -> tuple[bool, float, float]:
    """Within the bounds first, then the worse of the two distances to the goal, then their sum."""
    fact, abstain, false_abstain = rates(rows)
    within = (
        fact >= bounds.fact and abstain >= bounds.abstain and false_abstain <= bounds.false_abstain
    )
    return within, min(fact - GOAL_FACT, abstain - GOAL_ABSTAIN), fact + abstain


def best_threshold(by_threshold: dict[float, list[Outcome]], bounds: Bounds, keep=None) -> float:
    return max(
        THRESHOLDS,
        key=lambda t: merit([r for r in by_threshold[t] if keep is None or keep(r)], bounds),
    )


def cross_validated(by_threshold: dict[float, list[Outcome]], bounds: Bounds) -> list[Outcome]:
    """Held-out outcomes, each article answered at the threshold chosen on the others."""
    held_out = []
    for article_id in sorted({r.article_id for r in by_threshold[THRESHOLDS[0]]}):
        threshold = best_threshold(
            by_threshold, bounds, lambda r, article_id=article_id: r.article_id != article_id
        )
        held_out += [r for r in by_threshold[threshold] if r.article_id == article_id]
    return held_out


def report(by_threshold: dict[float, list[Outcome]], gate: Bounds) -> None:
    marks = [
        (answering_model().threshold, "shipped"),
        (best_threshold(by_threshold, gate), "best within the gate"),
        (best_threshold(by_threshold, Bounds()), "best overall"),
    ]
    print("threshold  fact-match  abstain(unans.)  false-abstain")
    for threshold in sorted(set(SHOWN) | {t for t, _ in marks}):
        fact, abstain, false_abstain = rates(by_threshold[threshold])
        mark = ", ".join(name for t, name in marks if t == threshold)
        print(
            f"{threshold:9.3f}  {fact:10.3f}  {abstain:15.3f}  {false_abstain:13.3f}"
            + (f"  <- {mark}" if mark else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--questions",
        type=Path,
        default=None,
        help="a folder of question files (default: evals/golden/questions)",
    )
    all_cases = list(cases(parser.parse_args().questions))
    by_threshold = {
        t: outcomes(t, all_cases) for t in sorted({*THRESHOLDS, answering_model().threshold})
    }
    answerable = sum(g.answerable for *_, g in all_cases)
    articles = len({article_id for article_id, *_ in all_cases})
    print(
        f"{answerable} answerable, {len(all_cases) - answerable} unanswerable cases, "
        f"{articles} articles"
    )
    gate = gate_bounds()
    report(by_threshold, gate)
    print("\nleave one article out (threshold chosen on the other articles):")
    for name, bounds in [("within the gate", gate), ("overall", Bounds())]:
        fact, abstain, false_abstain = rates(cross_validated(by_threshold, bounds))
        print(
            f"  {name:16} fact-match {fact:.3f}, abstain {abstain:.3f}, "
            f"false-abstain {false_abstain:.3f}"
        )
    print(
        f"gate: fact-match >= {gate.fact}, abstain >= {gate.abstain}, "
        f"false-abstain <= {gate.false_abstain}"
    )


if __name__ == "__main__":
    main()
