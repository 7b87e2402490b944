"""How good is the verifier on the project's own labelled claim set (the regression suite)?
What each shipped verdict promises (precision of `supported` and of `unsupported`, the share
left `uncertain`), ROC AUC of `support`, and per-category accuracy, beside a plain word-overlap
baseline on the same rows whose threshold is chosen by cross-validation over sources.

The learned verifier was fitted on real labelled claims and on this set too (bench/
fit_verifier.py), so these figures guard against regressions; the real-data figures are
bench/real_data.py's.
"""

from dataclasses import dataclass
from typing import Any

from ..domain.pipeline.verify_text import best_evidence
from ..domain.reading.article import build_article
from ..domain.words import content_stems
from .claims import ClaimSet, load_claim_sets, load_sources

FOLDS = 5


@dataclass(frozen=True)
class Scored:
    source_id: str
    claim_id: str
    category: str
    supported: bool  # the label
    verifier: float
    baseline: float
    verdict: str = "uncertain"


def score_claims(claim_sets: list[ClaimSet] | None = None) -> list[Scored]:
    sources = load_sources()
    rows = []
    for claim_set in claim_sets or load_claim_sets():
        article = build_article(sources[claim_set.source_id])
        texts = [s.text for s in article.sentences if s.citable]
        for claim in claim_set.claims:
            _, support = best_evidence(article, claim.text)
            rows.append(
                Scored(
                    claim_set.source_id,
                    claim.id,
                    claim.category,
                    claim.label == "supported",
                    support.score,
                    word_overlap(claim.text, texts),
                    support.verdict,
                )
            )
    return rows


def word_overlap(claim: str, sentences: list[str]) -> float:
    """The baseline: the best share of the claim's content words in one sentence or two adjacent."""
    stems = content_stems(claim)
    if not stems:
        return 0.0
    groups = [[s] for s in sentences] + [sentences[i : i + 2] for i in range(len(sentences) - 1)]
    return max((len(stems & content_stems(" ".join(g))) / len(stems) for g in groups), default=0.0)


def balanced_accuracy(labels: list[bool], predicted: list[bool]) -> float:
    positives = [p for y, p in zip(labels, predicted, strict=True) if y]
    negatives = [not p for y, p in zip(labels, predicted, strict=True) if not y]
    rates = [sum(group) / len(group) for group in (positives, negatives) if group]
    return sum(rates) / len(rates) if rates else 0.0


TIE = 0.005  # balanced accuracies closer than this are one or two claims apart: a tie


def best_threshold(scores: list[float], labels: list[bool]) -> float:
    """The strictest threshold whose balanced accuracy ties with the best: calling an
    unsupported claim supported is the costlier mistake."""
    candidates = sorted(set(scores)) + [1.01]
    accuracy = {t: balanced_accuracy(labels, [s >= t for s in scores]) for t in candidates}
    best = max(accuracy.values())
    return max(t for t, value in accuracy.items() if value >= best - TIE)


def cross_validated(rows: list[Scored], field: str) -> tuple[list[bool], list[float]]:
    """Held-out predictions for every row, and the threshold each fold chose."""
    sources = sorted({r.source_id for r in rows})
    fold_of = {source: i % FOLDS for i, source in enumerate(sources)}
    predicted: dict[str, bool] = {}
    thresholds = []
    for fold in range(FOLDS):
        train = [r for r in rows if fold_of[r.source_id] != fold]
        threshold = best_threshold([getattr(r, field) for r in train], [r.supported for r in train])
        thresholds.append(threshold)
        for r in rows:
            if fold_of[r.source_id] == fold:
                predicted[r.claim_id] = getattr(r, field) >= threshold
    return [predicted[r.claim_id] for r in rows], thresholds


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """The chance that a supported claim scores above an unsupported one (ties count half)."""
    positive = [s for s, y in zip(scores, labels, strict=True) if y]
    negative = [s for s, y in zip(scores, labels, strict=True) if not y]
    pairs = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return pairs / (len(positive) * len(negative)) if positive and negative else 0.0


def evaluate_verifier(rows: list[Scored]) -> dict[str, Any]:
    labels = [r.supported for r in rows]
    said = {v: [r for r in rows if r.verdict == v] for v in ("supported", "unsupported")}
    predicted, thresholds = cross_validated(rows, "baseline")
    return {
        "verifier": {
            "precision_supported": _share([r.supported for r in said["supported"]]),
            "recall_supported": round(
                len([r for r in said["supported"] if r.supported]) / max(sum(labels), 1), 4
            ),
            "precision_unsupported": _share([not r.supported for r in said["unsupported"]]),
            "uncertain_share": _share([r.verdict == "uncertain" for r in rows]),
            "roc_auc": round(roc_auc([r.verifier for r in rows], labels), 4),
            "per_category": _per_category(rows, [r.verdict == "supported" for r in rows]),
        },
        "baseline": {
            "balanced_accuracy": round(balanced_accuracy(labels, predicted), 4),
            "roc_auc": round(roc_auc([r.baseline for r in rows], labels), 4),
            "fold_thresholds": thresholds,
            "per_category": _per_category(rows, predicted),
        },
    }


def _share(flags: list[bool]) -> float:
    return round(sum(flags) / len(flags), 4) if flags else 0.0


def _per_category(rows: list[Scored], predicted: list[bool]) -> dict[str, float]:
    """Per category, the share of claims called rightly: a supported claim `supported`, an
    unsupported one anything else."""
    right: dict[str, list[bool]] = {}
    for row, guess in zip(rows, predicted, strict=True):
        right.setdefault(row.category, []).append(guess == row.supported)
    return {category: round(sum(v) / len(v), 3) for category, v in sorted(right.items())}
