"""Refit the learned verifier (service/domain/verification/verifier.json), deterministically.

    .venv/bin/python bench/fit_verifier.py [--dev ../shared/dev] [--write]

Rows: the real labelled claims of ../shared/dev/faithfulness.jsonl and the project's own claim
set (evals/claims/, as the source "footnoted"). Every (source, label) cell weighs the same, so
no source's label balance or copying habit dominates. Each claim is scored against the evidence
/v1/verify would choose for it (best_evidence), as the service does.

The thresholds are chosen on predictions cross-validated by document (5 folds by `group`):
`supported_above` is the lowest at which `supported` is right at least TARGET_PRECISION of the
time, `unsupported_below` the highest at which `unsupported` is. The figures printed are those
cross-validated predictions; the shipped parameters are then fitted on every row.
Needs scikit-learn (the dev extra); the service itself only reads the JSON.
"""

import argparse
from collections import defaultdict
from dataclasses import dataclass
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

from service.domain.pipeline.verify_text import best_evidence  # noqa: E402
from service.domain.reading.article import build_article  # noqa: E402
from service.domain.verification.features import article_source  # noqa: E402
from service.domain.verification.learned import MODEL_FILE, feature_vector  # noqa: E402
from service.evals.claims import load_claim_sets, load_sources  # noqa: E402

TARGET_PRECISION = 0.85
MIN_RECALL = 0.05  # a threshold that keeps fewer than this share of its label is no threshold
MIN_FIRED = 20  # a check seen firing fewer times has no measured precision to keep it a veto
C = 0.01  # strong regularization: mean AUC over sources, calibration, and sane short claims
# (0.02 gave recall 0.32 but called "The mayor resigned in protest." supported: its weights
# of correlated features extrapolate badly to claims shorter than the data's)
FOLDS = 5
# Besides the checks of vetoes.py: a number or a name the article never states.
VETO_CANDIDATES = ("numbers_not_in_article_max", "names_not_in_article_max")
# Checks that only keep a claim from `supported` (support.py) and are no input of the model:
# split_subject as an input lowered the mean ROC AUC over sources from 0.758 to 0.745.
NOT_IN_MODEL = ("veto_split_subject",)
OUT = ROOT / "service" / "domain" / "verification" / MODEL_FILE
OWN_SOURCE = "footnoted"  # the project's own claim set, the `source` of its rows


def load_rows(dev: Path) -> list[dict]:
    rows = [json.loads(line) for line in (dev / "faithfulness.jsonl").open()]
    rows = [{k: r[k] for k in ("group", "source", "document", "claim", "label")} for r in rows]
    sources = load_sources()
    for claim_set in load_claim_sets():
        rows += [
            {
                "group": f"footnoted:{claim_set.source_id}",
                "source": OWN_SOURCE,
                "document": sources[claim_set.source_id],
                "claim": c.text,
                "label": c.label,
            }
            for c in claim_set.claims
        ]
    return rows


_ARTICLE: dict[str, object] = {}


def vector(row: dict) -> dict[str, float]:
    article = _ARTICLE.get(row["document"])
    if article is None:  # rows come sorted by document: one article at a time
        _ARTICLE.clear()
        article = _ARTICLE[row["document"]] = build_article(row["document"], max_chars=10**7)
    evidence, _ = best_evidence(article, row["claim"])
    return feature_vector(row["claim"], [s.text for s in evidence], article_source(article))


@dataclass(frozen=True)
class Dataset:
    rows: list[dict]
    names: list[str]  # feature names, the columns of x
    x: np.ndarray
    y: np.ndarray  # supported?
    sources: np.ndarray
    groups: np.ndarray
    w: np.ndarray  # every (source, label) cell weighs the same


def dataset(dev: Path, workers: int = 2) -> Dataset:
    rows = sorted(load_rows(dev), key=lambda r: (r["document"], r["claim"]))
    with Pool(workers) as pool:
        vectors = pool.map(vector, rows, chunksize=16)
    names = sorted(vectors[0])
    y = np.array([r["label"] == "supported" for r in rows])
    sources = np.array([r["source"] for r in rows])
    return Dataset(
        rows=rows,
        names=names,
        x=np.array([[v[n] for n in names] for v in vectors]),
        y=y,
        sources=sources,
        groups=np.array([r["group"] for r in rows]),
        w=balanced_weights(sources, y),
    )


def balanced_weights(sources: np.ndarray, labels: np.ndarray) -> np.ndarray:
    cells: dict[tuple, list[int]] = defaultdict(list)
    for i, cell in enumerate(zip(sources, labels, strict=True)):
        cells[cell].append(i)
    weights = np.zeros(len(labels))
    for members in cells.values():
        weights[members] = 1.0 / len(members)
    return weights * len(labels) / weights.sum()


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, object]:
    means, scales = x.mean(0), x.std(0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=C, max_iter=5000).fit((x - means) / scales, y, sample_weight=w)
    return means, scales, model


def cross_validated(x, y, w, sources, groups) -> np.ndarray:
    p = np.zeros(len(y))
    for train, test in GroupKFold(FOLDS).split(x, y, groups):
        means, scales, model = fit(x[train], y[train], balanced_weights(sources[train], y[train]))
        p[test] = model.predict_proba((x[test] - means) / scales)[:, 1]
    return p


def precision_recall(hit: np.ndarray, truth: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    right = (w * (hit & truth)).sum()
    return right / max((w * hit).sum(), 1e-12), right / max((w * truth).sum(), 1e-12)


@dataclass(frozen=True)
class Rules:
    """The service's verdict rules (support.py), on feature columns: a claim on which any check
    fired (or with a name its evidence lacks) is never supported; a hard veto makes it
    unsupported."""

    fired: np.ndarray
    vetoed: np.ndarray


def rules_of(x: np.ndarray, names: list[str], hard_vetoes: list[str]) -> Rules:
    def column(name: str) -> np.ndarray:
        return x[:, names.index(name)] > 0

    fired = np.zeros(len(x), dtype=bool)
    for name in names:
        if name.endswith("_max") and (
            name.startswith("veto_") or name == "names_not_in_evidence_max"
        ):
            fired |= column(name)
    vetoed = np.zeros(len(x), dtype=bool)
    for name in hard_vetoes:
        vetoed |= column(f"{name}_max")
    return Rules(fired=fired, vetoed=vetoed)


def verdicts(
    p: np.ndarray, rules: Rules, supported_above: float, unsupported_below: float
) -> tuple[np.ndarray, np.ndarray]:
    """(called supported, called unsupported), as check_support decides."""
    unsupported = (p < unsupported_below) | rules.vetoed
    return (p >= supported_above) & ~rules.fired & ~unsupported, unsupported


def thresholds(
    p: np.ndarray, y: np.ndarray, w: np.ndarray, rules: Rules, sources: np.ndarray | None = None
) -> tuple[float, float]:
    """With `sources`, the precision must hold on the real claims alone too (every row but the
    project's own, reweighted among themselves): the promise is about real text."""
    cuts = np.unique(np.round(p, 4))
    views = [(np.ones(len(y), dtype=bool), w)]
    if sources is not None and (real := sources != OWN_SOURCE).any():
        views.append((real, np.where(real, balanced_weights(sources, y), 0.0)))

    def good(hit: np.ndarray, truth: np.ndarray) -> bool:
        for rows, weights in views:
            precision, recall = precision_recall(hit & rows, truth & rows, weights)
            if precision < TARGET_PRECISION or recall < MIN_RECALL:
                return False
        return True

    above = [t for t in cuts if good(verdicts(p, rules, t, 0.0)[0], y)]
    below = [t for t in cuts if good(verdicts(p, rules, 1.1, t)[1], ~y)]
    supported = min(above) if above else float(cuts.max())
    unsupported = max(below) if below else float(cuts.min())
    return float(supported), float(min(unsupported, supported))


def precise_vetoes(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: list[str]) -> list[str]:
    """The checks whose firing is right (the claim unsupported) at least TARGET_PRECISION of the
    time: only those stay hard vetoes; the rest are features the model weighs."""
    kept = []
    for i, name in enumerate(names):
        candidate = name.startswith("veto_") or name in VETO_CANDIDATES
        if candidate and name.endswith("_max") and (fired := x[:, i] > 0).sum() >= MIN_FIRED:
            precision = (w * (fired & ~y)).sum() / (w * fired).sum()
            print(f"  {name[:-4]:30s} fired {int(fired.sum()):4d}  precision {precision:.3f}")
            if precision >= TARGET_PRECISION:
                kept.append(name[:-4])
    return kept


def calibration_error(p: np.ndarray, y: np.ndarray, w: np.ndarray, bins: int = 10) -> float:
    which = np.minimum((p * bins).astype(int), bins - 1)
    gaps = [
        abs((w[k] * y[k]).sum() - (w[k] * p[k]).sum())
        for b in range(bins)
        if (k := which == b).any()
    ]
    return float(sum(gaps) / w.sum())


def report(p, y, w, sources, rules: Rules, supported_above, unsupported_below) -> dict:
    figures: dict = {"per_source": {}}
    for name in sorted(set(sources)):
        k = sources == name
        auc = roc_auc_score(y[k], p[k]) if len(set(y[k])) > 1 else None
        figures["per_source"][name] = {"rows": int(k.sum()), "roc_auc": auc}
    aucs = [f["roc_auc"] for f in figures["per_source"].values() if f["roc_auc"] is not None]
    supported, unsupported = verdicts(p, rules, supported_above, unsupported_below)
    sup_p, sup_r = precision_recall(supported, y, w)
    uns_p, uns_r = precision_recall(unsupported, ~y, w)
    uncertain = ~supported & ~unsupported
    figures.update(
        {
            "mean_roc_auc_over_sources": float(np.mean(aucs)),
            "reweighted_roc_auc": float(roc_auc_score(y, p, sample_weight=w)),
            "precision_supported": sup_p,
            "recall_supported": sup_r,
            "precision_unsupported": uns_p,
            "recall_unsupported": uns_r,
            "uncertain_share": float((w * uncertain).sum() / w.sum()),
            "expected_calibration_error": calibration_error(p, y, w),
        }
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "dev")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    data = dataset(args.dev)
    names, x, y, sources, w = data.names, data.x, data.y, data.sources, data.w
    model_columns = [i for i, n in enumerate(names) if not n.startswith(NOT_IN_MODEL)]
    p = cross_validated(x[:, model_columns], y, w, sources, data.groups)
    print("checks (a claim is unsupported when one fires: precision of that, reweighted):")
    vetoes = precise_vetoes(x, y, w, names)
    rules = rules_of(x, names, vetoes)
    supported_above, unsupported_below = thresholds(p, y, w, rules, sources)
    figures = report(p, y, w, sources, rules, supported_above, unsupported_below)
    print(json.dumps(figures, indent=1))
    print(f"supported_above {supported_above:.4f}  unsupported_below {unsupported_below:.4f}")
    if args.write:
        means, scales, model = fit(x[:, model_columns], y, w)
        OUT.write_text(
            json.dumps(
                {
                    "about": "bench/fit_verifier.py; figures are cross-validated by document (5 folds), "
                    "every source and label weighing the same",
                    "features": [names[i] for i in model_columns],
                    "means": _rounded(means),
                    "scales": _rounded(scales),
                    "weights": _rounded(model.coef_[0]),
                    "bias": round(float(model.intercept_[0]), 6),
                    "supported_above": supported_above,
                    "unsupported_below": unsupported_below,
                    "hard_vetoes": vetoes,
                    "cross_validated": _rounded_dict(figures),
                },
                indent=1,
            )
            + "\n"
        )
        print(f"wrote {OUT.relative_to(ROOT)}")


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 6) for v in values]


def _rounded_dict(value):
    if isinstance(value, dict):
        return {k: _rounded_dict(v) for k, v in value.items()}
    return round(float(value), 4) if isinstance(value, float) else value


if __name__ == "__main__":
    main()
