"""Refit the answer model (service/domain/verification/answering.json), deterministically.

    .venv/bin/python bench/fit_answering.py [--dev ../shared/dev] [--write]

Rows: the SQuAD 2.0 dev questions of ../shared/dev/qa.jsonl, half of them unanswerable near
misses. For each question the candidate is the sentence the extractive engine would answer with
(answering.candidate); the model learns whether that sentence holds a golden answer (SQuAD's
fact match), so its probability reads "this sentence answers the question".

The threshold is chosen on predictions cross-validated by paragraph (5 folds by `group`): among
those where the answer is found in at least GOAL_FOUND of the answerable questions answered, the
lowest whose abstention balanced accuracy is within BA_SLACK of the best. Balanced accuracy is
flat near its top, and every step up there buys abstentions on SQuAD's near misses with as many
lost answers; news readers' questions are seldom near misses, so the tie goes to answering. The figures printed are those cross-validated
predictions; the shipped weights are then fitted on every row. Needs scikit-learn (dev extra).
"""

import argparse
from collections import defaultdict
import json
from multiprocessing import Pool
from pathlib import Path
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.domain.errors import InvalidInput  # noqa: E402
from service.domain.reading.article import build_article  # noqa: E402
from service.domain.verification.answering import MODEL_FILE, candidate  # noqa: E402
from service.evals.answers import fact_match  # noqa: E402

GOAL_FOUND = 0.85
BA_SLACK = 0.01
C = 1.0
FOLDS = 5
OUT = ROOT / "service" / "domain" / "verification" / MODEL_FILE


def paragraph_rows(batch: tuple[str, list[dict]]) -> list[dict]:
    """Each question's candidate features, the article built once per paragraph."""
    context, questions = batch
    article = build_article(context, max_chars=10**7)
    out = []
    for q in questions:
        try:
            found = candidate(article, q["question"])
        except InvalidInput:  # a question with no words: the service refuses it
            found = None
        features = found[1] if found else None
        right = bool(found and any(fact_match(a, found[0].sentence.text) for a in q["answers"]))
        out.append({**q, "features": features, "right": right})
    return out


def load(dev: Path, workers: int = 2) -> list[dict]:
    rows = [json.loads(line) for line in (dev / "qa.jsonl").open()]
    by_context: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_context[r["context"]].append(
            {k: r[k] for k in ("id", "group", "question", "answers", "answerable")}
        )
    with Pool(workers) as pool:
        batches = pool.map(paragraph_rows, sorted(by_context.items()), chunksize=8)
    return sorted((r for batch in batches for r in batch), key=lambda r: r["id"])


def fit(x: np.ndarray, y: np.ndarray):
    means, scales = x.mean(0), x.std(0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((x - means) / scales, y)
    return means, scales, model


def cross_validated(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    p = np.zeros(len(y))
    for train, test in GroupKFold(FOLDS).split(x, y, groups):
        means, scales, model = fit(x[train], y[train])
        p[test] = model.predict_proba((x[test] - means) / scales)[:, 1]
    return p


def outcomes(answered: np.ndarray, answerable: np.ndarray, right: np.ndarray) -> dict:
    """The figures of bench/real_data.py's chat section, for one answer/abstain decision."""
    abstention_recall = float((~answered)[~answerable].mean())
    false_abstention = float((~answered)[answerable].mean())
    return {
        "answer_found": float(right[answered & answerable].mean()),
        "abstention_recall": abstention_recall,
        "false_abstention": false_abstention,
        "abstention_ba": (abstention_recall + 1 - false_abstention) / 2,
    }


def threshold(p: np.ndarray, answerable: np.ndarray, right: np.ndarray) -> float:
    """The lowest threshold within BA_SLACK of the best balanced accuracy, the answer found
    often enough."""
    cuts = np.unique(np.round(p, 3))
    ba = {}
    for t in cuts:
        figures = outcomes(p >= t, answerable, right)
        if figures["answer_found"] >= GOAL_FOUND:
            ba[float(t)] = figures["abstention_ba"]
    best = max(ba.values())
    return min(t for t, value in ba.items() if value >= best - BA_SLACK)


def cross_validated_decision(rows: list[dict]) -> tuple[np.ndarray, float]:
    """Every question's held-out probability (0 without a candidate) and the threshold chosen on
    them."""
    scored = [r for r in rows if r["features"] is not None]
    names = sorted(scored[0]["features"])
    x = np.array([[r["features"][n] for n in names] for r in scored])
    right = np.array([r["right"] for r in scored])
    p = np.zeros(len(rows))
    held_out = cross_validated(x, right, np.array([r["group"] for r in scored]))
    p[[i for i, r in enumerate(rows) if r["features"] is not None]] = held_out
    answerable = np.array([r["answerable"] for r in rows])
    return p, threshold(p, answerable, np.array([r["right"] for r in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "dev")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    rows = load(args.dev)
    # A question no sentence shares a word with is an abstention whatever the model says.
    p, cut = cross_validated_decision(rows)
    answerable = np.array([r["answerable"] for r in rows])
    right_all = np.array([r["right"] for r in rows])
    figures = {
        "questions": len(rows),
        "without_candidate": sum(r["features"] is None for r in rows),
        "roc_auc_answerable": float(roc_auc_score(answerable, p)),
        "roc_auc_right": float(roc_auc_score(right_all, p)),
        "threshold": cut,
        **outcomes(p >= cut, answerable, right_all),
    }
    print(json.dumps(figures, indent=1))
    if args.write:
        scored = [r for r in rows if r["features"] is not None]
        names = sorted(scored[0]["features"])
        x = np.array([[r["features"][n] for n in names] for r in scored])
        means, scales, model = fit(x, np.array([r["right"] for r in scored]))
        OUT.write_text(
            json.dumps(
                {
                    "about": "bench/fit_answering.py; figures are cross-validated by paragraph "
                    "(5 folds) on SQuAD 2.0 dev questions",
                    "features": names,
                    "means": _rounded(means),
                    "scales": _rounded(scales),
                    "weights": _rounded(model.coef_[0]),
                    "bias": round(float(model.intercept_[0]), 6),
                    "threshold": cut,
                    "cross_validated": {
                        k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()
                    },
                },
                indent=1,
            )
            + "\n"
        )
        print(f"wrote {OUT.relative_to(ROOT)}")


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


if __name__ == "__main__":
    main()
