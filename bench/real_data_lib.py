"""Metrics, folds and tables for bench/real_data.py, in numpy only.

scikit-learn is not a project dependency, so the few pieces we need are written here: weighted
ROC AUC (Mann-Whitney), weighted balanced accuracy, expected calibration error, a deterministic
GroupKFold and a threshold search. Every metric takes sample weights, so the same code gives the
figures "as is" (weights of one) and "reweighted" (every (source, label) cell weighing the same).
"""

from collections.abc import Sequence
from dataclasses import dataclass
import hashlib
import itertools
import math
import re

import numpy as np

VERDICTS = ("supported", "unsupported", "uncertain")
FOLDS = 5
ECE_BINS = 10

_WORD = re.compile(r"\w+")


# ---------------------------------------------------------------- weights


def cell_weights(keys: Sequence[str], labels: np.ndarray) -> np.ndarray:
    """Weights under which every (key, label) cell weighs the same, scaled to mean 1.

    The sources differ in base rate (xsumfaith mostly unsupported, factcc mostly supported) and
    in size; equal cells give a 50% base rate and let no single source dominate.
    """
    cells = [f"{k}\x00{bool(y)}" for k, y in zip(keys, labels, strict=True)]
    _, inverse, counts = np.unique(cells, return_inverse=True, return_counts=True)
    weights = 1.0 / counts[inverse]
    return weights * len(weights) / weights.sum()


# ---------------------------------------------------------------- metrics


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def verdict_metrics(labels: np.ndarray, verdicts: np.ndarray, weights: np.ndarray) -> dict:
    """Balanced accuracy, precision and recall of three-way verdicts against binary labels.

    Balanced accuracy (METRICS.md): mean of the true-positive rate on supported claims and the
    true-negative rate on unsupported ones. An "uncertain" verdict counts as a miss on either
    side (it neither confirms nor rejects), so abstaining is never free; `ba_decided` is the
    same figure over decided rows only, and `uncertain` the (weighted) share left undecided.
    """
    pos, neg = labels, ~labels
    said_sup, said_uns = verdicts == "supported", verdicts == "unsupported"
    decided = said_sup | said_uns
    w = weights
    tpr = _ratio(w[pos & said_sup].sum(), w[pos].sum())
    tnr = _ratio(w[neg & said_uns].sum(), w[neg].sum())
    tpr_d = _ratio(w[pos & said_sup].sum(), w[pos & decided].sum())
    tnr_d = _ratio(w[neg & said_uns].sum(), w[neg & decided].sum())
    return {
        "balanced_accuracy": (tpr + tnr) / 2,
        "ba_decided": (tpr_d + tnr_d) / 2,
        "precision_supported": _ratio(w[pos & said_sup].sum(), w[said_sup].sum()),
        "recall_supported": tpr,
        "precision_unsupported": _ratio(w[neg & said_uns].sum(), w[said_uns].sum()),
        "uncertain": _ratio(w[~decided].sum(), w.sum()),
    }


def roc_auc(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """ROC AUC as the weighted Mann-Whitney statistic: the chance that a random supported claim
    scores above a random unsupported one, ties counting one half (Hanley and McNeil 1982).

    Grouping by distinct score makes ties exact and the cost one sort.
    """
    distinct, inverse = np.unique(scores, return_inverse=True)
    pos_w = np.bincount(inverse, weights=weights * labels, minlength=len(distinct))
    neg_w = np.bincount(inverse, weights=weights * ~labels, minlength=len(distinct))
    neg_below = np.cumsum(neg_w) - neg_w
    return _ratio(float((pos_w * (neg_below + 0.5 * neg_w)).sum()), pos_w.sum() * neg_w.sum())


def expected_calibration_error(
    probs: np.ndarray, labels: np.ndarray, weights: np.ndarray, bins: int = ECE_BINS
) -> float:
    """ECE with equal-width bins (Naeini et al. 2015; Guo et al. 2017): the weight-share-weighted
    gap between the mean predicted probability and the observed rate of `supported` per bin."""
    index = np.minimum((np.clip(probs, 0.0, 1.0) * bins).astype(int), bins - 1)
    total = weights.sum()
    ece = 0.0
    for b in range(bins):
        in_bin = index == b
        mass = weights[in_bin].sum()
        if mass > 0:
            gap = np.average(labels[in_bin], weights=weights[in_bin]) - np.average(
                probs[in_bin], weights=weights[in_bin]
            )
            ece += mass / total * abs(gap)
    return ece


def threshold_verdicts(scores: np.ndarray, threshold: float) -> np.ndarray:
    return np.where(scores >= threshold, "supported", "unsupported")


# ---------------------------------------------------------------- folds and thresholds


def _stable_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def group_kfold(groups: Sequence[str], folds: int = FOLDS) -> np.ndarray:
    """Fold number per row, whole groups per fold, fold sizes balanced; deterministic.

    As scikit-learn's GroupKFold: the largest group first, each into the fold holding the fewest
    rows so far. Ties between equal groups break on a hash of the name, not on file order, so
    the folds do not depend on how the data happened to be sorted.
    """
    names, inverse, sizes = np.unique(np.asarray(groups), return_inverse=True, return_counts=True)
    order = sorted(range(len(names)), key=lambda g: (-sizes[g], _stable_hash(str(names[g]))))
    fold_of_group = np.zeros(len(names), dtype=int)
    load = [0] * folds
    for g in order:
        fold = min(range(folds), key=lambda f: (load[f], f))
        fold_of_group[g] = fold
        load[fold] += sizes[g]
    return fold_of_group[inverse]


def best_threshold(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """The cut (predict supported when score >= cut) maximising weighted balanced accuracy.

    Candidates are the distinct scores; the cut returned is the midpoint between the best one
    and the next lower distinct score, so a held-out score equal to neither falls sensibly.
    """
    distinct, inverse = np.unique(scores, return_inverse=True)
    pos_w = np.bincount(inverse, weights=weights * labels, minlength=len(distinct))
    neg_w = np.bincount(inverse, weights=weights * ~labels, minlength=len(distinct))
    tp_at_or_above = np.cumsum(pos_w[::-1])[::-1]
    fp_at_or_above = np.cumsum(neg_w[::-1])[::-1]
    ba = (tp_at_or_above / pos_w.sum() + 1 - fp_at_or_above / neg_w.sum()) / 2
    best = int(np.argmax(ba))
    return float(distinct[best] if best == 0 else (distinct[best] + distinct[best - 1]) / 2)


@dataclass
class CrossValidated:
    verdicts: np.ndarray
    thresholds: list[float]


def cross_validated_threshold(
    scores: np.ndarray,
    labels: np.ndarray,
    keys: Sequence[str],
    groups: Sequence[str],
    folds: int = FOLDS,
) -> CrossValidated:
    """Held-out verdicts from one threshold per fold, fitted on the other folds to maximise
    balanced accuracy reweighted so every (source, label) cell of those folds weighs the same.
    No row is judged by a threshold that saw it, nor saw another row of its document."""
    fold_of = group_kfold(groups, folds)
    keys = np.asarray(keys)
    verdicts = np.empty(len(scores), dtype=object)
    thresholds = []
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        if not test.any():
            continue
        cut = best_threshold(scores[train], labels[train], cell_weights(keys[train], labels[train]))
        thresholds.append(cut)
        verdicts[test] = threshold_verdicts(scores[test], cut)
    return CrossValidated(verdicts=verdicts.astype(str), thresholds=thresholds)


# ---------------------------------------------------------------- baseline


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(tokens))


def bigram_overlap(claim: str, document_bigrams: set, document_words: set) -> float:
    """Share of the claim's distinct lower-cased word bigrams found in the document.

    The plain word-overlap baseline of METRICS.md. A one-word claim has no bigram: its word
    is looked up instead; an empty claim scores 0.
    """
    tokens = words(claim)
    wanted = bigrams(tokens)
    if wanted:
        return len(wanted & document_bigrams) / len(wanted)
    return float(bool(tokens) and tokens[0] in document_words)


# ---------------------------------------------------------------- summaries of figures


def nanmean(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return sum(finite) / len(finite) if finite else math.nan


def mean_over(rows: list[dict], metric_names: Sequence[str]) -> dict:
    """Plain mean of per-source figures, skipping sources where a figure is undefined."""
    return {m: nanmean([r[m] for r in rows]) for m in metric_names}


# ---------------------------------------------------------------- printing


def fmt(value, width: int = 7, digits: int = 3) -> str:
    if isinstance(value, str):
        return f"{value:>{width}}"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{'-':>{width}}"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{value:>{width}d}"
    return f"{value:>{width}.{digits}f}"


def table(
    rows: list[tuple[str, dict]],
    columns: list[tuple[str, str]],
    label_width: int = 22,
    digits: dict[str, int] | None = None,
) -> str:
    """A plain-text table: one row per (label, figures), columns as (header, key)."""
    digits = digits or {}
    head = f"{'':{label_width}}" + "".join(f"{h:>8}" for h, _ in columns)
    lines = [head]
    for label, figures in rows:
        lines.append(
            f"{label:{label_width}}"
            + "".join(" " + fmt(figures.get(key), 7, digits.get(key, 3)) for _, key in columns)
        )
    return "\n".join(lines)


def json_safe(value):
    """NaN becomes null, numpy scalars plain numbers: strict JSON."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value
