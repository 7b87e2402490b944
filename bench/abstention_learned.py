"""Could a learned decision do better than the extractive engine's hand-made abstention rules?

    .venv/bin/python bench/abstention_learned.py
    .venv/bin/python bench/abstention_learned.py --questions evals/heldout/questions

For every question, the engine's candidate sentence is the one that covers the question best
among those holding an answer of the expected type (the best-covering one when none does). A
logistic regression over lexical signals of that candidate (coverage, BM25, answer type, the
question words it lacks, ...) decides whether to answer with it or abstain. It is trained to
answer only where the candidate holds the golden answer and evaluated leave-one-article-out, so
every figure comes from articles it was not trained on. The figures are the bar's (fact match on
answerable, abstention on unanswerable questions) for several decision thresholds: where no
threshold reaches both goals, these signals do not separate the two kinds of question.
"""

import argparse
from pathlib import Path
import re

from abstention import GOAL_ABSTAIN, GOAL_FACT, cases
import numpy as np

from service.domain.conversation import is_follow_up, recent_turns
from service.domain.engines.extractive import _can_answer
from service.domain.reading.retrieval import query_words, search
from service.domain.verification.answer_types import ANY, expected_type, gives
from service.domain.words import reader_words as content_words
from service.evals.answers import fact_match

_YES_NO = re.compile(
    r"^(is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b", re.IGNORECASE
)
KINDS = ["number", "money", "duration", "age", "date", "name", "place", "reason"]
DECISIONS = [0.3, 0.4, 0.5, 0.6, 0.7]


def candidate(article, messages):
    """(features, candidate sentence text), or (None, None) when no sentence shares a word."""
    question = messages[-1].content
    context = " ".join(m.content for m in recent_turns(messages)) if is_follow_up(messages) else ""
    kind = expected_type(question)
    found = [
        h
        for h in search(article, question, context, limit=len(article.sentences))
        if _can_answer(h.sentence.text)
    ]
    if not found:
        return None, None
    typed = sorted(
        (h for h in found if gives(h.sentence.text, kind, question)), key=lambda h: -h.coverage
    )
    top = max(found, key=lambda h: h.coverage)
    best = typed[0] if typed else top
    missing = set(query_words(question)) - set(content_words(best.sentence.text))
    features = [
        best.coverage,
        top.coverage,
        best.coverage / max(top.coverage, 1e-6),
        best.bm25 / max(h.bm25 for h in found),
        float(bool(typed)),
        float(kind == ANY),
        len(missing),
        len(set(query_words(question))),
        float(best.sentence.id == found[0].sentence.id),
        float(bool(_YES_NO.search(question))),
        typed[0].coverage - typed[1].coverage if len(typed) > 1 else best.coverage,
        float(bool(context)),
    ] + [float(kind == k) for k in KINDS]
    return np.array(features), best.sentence.text


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, rate: float = 0.1):
    """Logistic regression by gradient descent on standardized features."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / scale
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= rate * (z.T @ (p - y) + l2 * w) / len(y)
        b -= rate * float((p - y).mean())
    return lambda rows: 1 / (1 + np.exp(-(((rows - mean) / scale) @ w + b)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, default=None)
    rows = []  # (article id, features, answerable, candidate holds the answer)
    for article_id, article, messages, golden in cases(parser.parse_args().questions):
        features, text = candidate(article, messages)
        right = bool(golden.answerable and text and fact_match(golden.answer, text))
        rows.append((article_id, features, golden.answerable, right))
    print(
        f"{sum(r[2] for r in rows)} answerable, {sum(not r[2] for r in rows)} unanswerable; "
        f"goal: fact match >= {GOAL_FACT}, abstention >= {GOAL_ABSTAIN}"
    )
    print("decision  fact-match  abstain(unans.)  false-abstain   (leave one article out)")
    articles = sorted({r[0] for r in rows})
    for decision in DECISIONS:
        outcomes = []  # (answerable, fact matched, abstained)
        for held in articles:
            train = [r for r in rows if r[0] != held and r[1] is not None]
            model = fit(np.array([r[1] for r in train]), np.array([float(r[3]) for r in train]))
            for _, features, answerable, right in (r for r in rows if r[0] == held):
                answers = features is not None and model(features[None, :])[0] > decision
                outcomes.append((answerable, right and answers, not answers))
        answerable = [o for o in outcomes if o[0]]
        unanswerable = [o for o in outcomes if not o[0]]
        print(
            f"{decision:8.1f}  {sum(o[1] for o in answerable) / len(answerable):10.3f}  "
            f"{sum(o[2] for o in unanswerable) / len(unanswerable):15.3f}  "
            f"{sum(o[2] for o in answerable) / len(answerable):13.3f}"
        )


if __name__ == "__main__":
    main()
