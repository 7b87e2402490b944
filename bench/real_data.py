"""The verifier, the extractive summaries and the extractive chat on real labelled data.

    .venv/bin/python bench/real_data.py [--dev DIR] [--limit N] [--json PATH] [--workers 2]

Reads ../shared/dev/ next to the repository (see its README.md: fields, sources, rules) at run
time; nothing of it is copied here, and no test depends on it. Metric definitions follow
../shared/METRICS.md. Every figure is printed with its scheme: "no fitting" for the service as
shipped, or the cross-validation that chose a threshold (5-fold GroupKFold on `group`, so no
article is seen by the threshold that judges it).

Sections:
1. verifier   faithfulness.jsonl: balanced accuracy, precision and recall of the verdict, ROC AUC
              and calibration (ECE) of the support score, beside a word-bigram overlap baseline;
              per source, mean over sources, reweighted (every (source, label) cell equal).
2. summaries  summaries.jsonl: ROUGE-1/2/Lsum F1 of the extractive engine's 3 sentences and of
              Lead-3 on the raw text, per dataset and per id-prefix subset.
3. chat       qa.jsonl: answer found, abstention recall, false abstention, their balance, through
              the chat pipeline as shipped, and (3b) the answer model cross-validated by paragraph.

A new claim scorer plugs in through SCORERS: a function (article, claim) -> (probability,
verdict), verdict one of "supported", "unsupported", "uncertain".
"""

import argparse
import asyncio
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
import json
import math
from multiprocessing import Pool
from pathlib import Path
import sys
import time

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # real_data_lib, whatever the cwd

from real_data_lib import (
    bigram_overlap,
    bigrams,
    cell_weights,
    cross_validated_threshold,
    expected_calibration_error,
    group_kfold,
    json_safe,
    mean_over,
    nanmean,
    roc_auc,
    table,
    verdict_metrics,
    words,
)

from service.domain.conversation import ChatMessage
from service.domain.engines.base import SummaryOptions
from service.domain.engines.extractive import (
    CENTRAL_MIN_SENTENCES,
    PERIPHERAL,
    ExtractiveEngine,
    choose_sentences,
)
from service.domain.errors import InvalidInput, LimitExceeded
from service.domain.pipeline.chat import answer
from service.domain.pipeline.verify_text import best_evidence
from service.domain.reading.article import Article, build_article
from service.domain.reading.segment import split_sentences
from service.evals.answers import fact_match
from service.evals.rouge import ROUGE_TYPES, rouge_f1

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEV = REPO.parent / "shared" / "dev"
MAX_CHARS = 10**7  # the dev articles are long; the service's own limit is not what we measure
SUMMARY_SENTENCES = SummaryOptions(length="short").sentences  # 3, as the engine counts them
ARTICLE_ERRORS = (InvalidInput, LimitExceeded)


# ================================================================ scorers (the plug-in seam)


@dataclass(frozen=True)
class Scorer:
    """A claim scorer: `score(article, claim)` -> (probability of supported, verdict).

    `scheme` says how its parameters were chosen, printed beside its figures.
    """

    name: str
    score: Callable[[Article, str], tuple[float, str]]
    scheme: str


def shipped_verifier(article: Article, claim: str) -> tuple[float, str]:
    """The service's verifier as it ships: best_evidence, then Support.score and its verdict."""
    _, support = best_evidence(article, claim)
    return support.score, support.verdict


SCORERS: dict[str, Scorer] = {
    "verifier": Scorer(
        "verifier",
        shipped_verifier,
        "as shipped: the learned verifier was fitted on these rows (in-sample); "
        "cross-validated figures: the 'verifier (cross-validated)' table",
    ),
}


# ================================================================ shared plumbing


def read_jsonl(path: Path, limit: int | None) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if limit is not None and len(rows) >= limit:
                break
            if line.strip():
                rows.append(json.loads(line))
    return rows


def run_batches(function: Callable, batches: list, workers: int) -> list:
    """Apply `function` to every batch, in a Pool when workers > 1; results in batch order.

    Batches go out largest first (imap_unordered) so one long article does not finish last on
    its own; the results are put back in order afterwards.
    """
    order = sorted(range(len(batches)), key=lambda i: -_batch_size(batches[i]))
    results: list = [None] * len(batches)
    if workers <= 1:
        for i in order:
            results[i] = function(batches[i])
        return results
    with Pool(workers) as pool:
        for i, result in pool.imap_unordered(_indexed(function), [(i, batches[i]) for i in order]):
            results[i] = result
    return results


def _batch_size(batch) -> int:
    return len(repr(batch))  # characters: a fair proxy for the work of one batch


class _indexed:
    """Picklable wrapper carrying a batch's index through imap_unordered."""

    def __init__(self, function: Callable):
        self.function = function

    def __call__(self, item):
        index, batch = item
        return index, self.function(batch)


def grouped(rows: list[dict], key: str) -> list[tuple[str, list[int]]]:
    """Row indices per distinct value of `key`, sorted by that value: one article built once."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_key[row[key]].append(i)
    return sorted(by_key.items())


# ================================================================ 1. verifier


def score_document(batch: tuple[str, list[tuple[int, str]], tuple[str, ...]]) -> list[dict]:
    """Every claim about one document, by every scorer and by the bigram baseline.

    The article is built once per document (the expensive part), and so are its bigrams.
    """
    document, claims, scorer_names = batch
    tokens = words(document)
    doc_bigrams, doc_words = bigrams(tokens), set(tokens)
    try:
        article = build_article(document, max_chars=MAX_CHARS)
    except ARTICLE_ERRORS as error:
        return [{"index": i, "error": str(error)} for i, _ in claims]
    out = []
    for index, claim in claims:
        result = {"index": index, "bigram": bigram_overlap(claim, doc_bigrams, doc_words)}
        for name in scorer_names:
            result[name] = SCORERS[name].score(article, claim)
        out.append(result)
    return out


def breakdown(
    sources: np.ndarray, labels: np.ndarray, metrics: Callable[[np.ndarray, np.ndarray], dict]
) -> dict[str, dict]:
    """`metrics(mask, weights)` per source (as is), their plain mean, reweighted and pooled.

    "reweighted" gives every (source, label) cell the same weight: a 50% base rate and every
    source counting the same, whatever its size. "pooled" is the dev set as it comes.
    """
    out: dict[str, dict] = {}
    for source in sorted(set(sources)):
        mask = sources == source
        out[source] = metrics(mask, np.ones(int(mask.sum())))
    names = [m for m in next(iter(out.values())) if m != "n"]  # a mean of counts means nothing
    out["mean over sources"] = mean_over(list(out.values()), names)
    everything = np.ones(len(labels), dtype=bool)
    out["reweighted"] = metrics(everything, cell_weights(sources, labels))
    out["pooled (as is)"] = metrics(everything, np.ones(len(labels)))
    return out


def count_figures(labels: np.ndarray) -> Callable:
    def figures(mask, weights):
        return {
            "n": int(mask.sum()),
            "supported_share": float(np.average(labels[mask], weights=weights)),
        }

    return figures


def scorer_figures(
    labels: np.ndarray, probs: np.ndarray, verdicts: np.ndarray, cv_verdicts: np.ndarray
) -> Callable:
    """The metrics of one scorer on a subset: its verdict as given, its probability's ranking
    (AUC) and calibration (ECE), and a threshold on its probability chosen by cross-validation."""

    def figures(mask, weights):
        y = labels[mask]
        out = verdict_metrics(y, verdicts[mask], weights)
        out["roc_auc"] = roc_auc(probs[mask], y, weights)
        out["ece"] = expected_calibration_error(probs[mask], y, weights)
        out["ba_cv_threshold"] = verdict_metrics(y, cv_verdicts[mask], weights)["balanced_accuracy"]
        return out

    return figures


def baseline_figures(labels: np.ndarray, scores: np.ndarray, cv_verdicts: np.ndarray) -> Callable:
    def figures(mask, weights):
        y = labels[mask]
        return {
            "balanced_accuracy": verdict_metrics(y, cv_verdicts[mask], weights)[
                "balanced_accuracy"
            ],
            "roc_auc": roc_auc(scores[mask], y, weights),
        }

    return figures


def verifier_section(
    dev: Path, limit: int | None, workers: int, scorer_names: tuple[str, ...]
) -> dict:
    rows = read_jsonl(dev / "faithfulness.jsonl", limit)
    batches = [
        (document, [(i, rows[i]["claim"]) for i in indices], scorer_names)
        for document, indices in grouped(rows, "document")
    ]
    scored = {
        r["index"]: r for batch in run_batches(score_document, batches, workers) for r in batch
    }
    errors = [i for i, r in scored.items() if "error" in r]
    keep = [i for i in range(len(rows)) if "error" not in scored[i]]
    labels = np.array([rows[i]["label"] == "supported" for i in keep])
    sources = np.array([rows[i]["source"] for i in keep])
    groups = [rows[i]["group"] for i in keep]

    bigram = np.array([scored[i]["bigram"] for i in keep])
    bigram_cv = cross_validated_threshold(bigram, labels, sources, groups)
    result = {
        "rows": len(rows),
        "documents": len(batches),
        "groups": len(set(groups)),
        "errors": len(errors),
        "counts": breakdown(sources, labels, count_figures(labels)),
        "baseline_bigram": {
            "scheme": "threshold by 5-fold GroupKFold on group (fitted on 4 folds to maximise "
            "reweighted balanced accuracy, applied to the 5th); AUC: no fitting",
            "fold_thresholds": bigram_cv.thresholds,
            "figures": breakdown(
                sources, labels, baseline_figures(labels, bigram, bigram_cv.verdicts)
            ),
        },
        "scorers": {},
    }
    for name in scorer_names:
        probs = np.array([scored[i][name][0] for i in keep], dtype=float)
        verdicts = np.array([scored[i][name][1] for i in keep])
        cv = cross_validated_threshold(probs, labels, sources, groups)
        result["scorers"][name] = {
            "scheme": SCORERS[name].scheme,
            "cv_threshold_scheme": "threshold on the probability by 5-fold GroupKFold on group",
            "fold_thresholds": cv.thresholds,
            "figures": breakdown(
                sources, labels, scorer_figures(labels, probs, verdicts, cv.verdicts)
            ),
        }
    return result


def print_verifier(result: dict) -> None:
    print(
        f"faithfulness.jsonl: {result['rows']} claims, {result['documents']} distinct document "
        f"texts in {result['groups']} groups, {result['errors']} not buildable (left out)"
    )
    baseline = result["baseline_bigram"]
    columns = [
        ("n", "n"),
        ("supShr", "supported_share"),
        ("BA", "balanced_accuracy"),
        ("AUC", "roc_auc"),
        ("P(sup)", "precision_supported"),
        ("R(sup)", "recall_supported"),
        ("P(uns)", "precision_unsupported"),
        ("uncShr", "uncertain"),
        ("ECE", "ece"),
        ("BAcvthr", "ba_cv_threshold"),
        ("bgBA", "bigram_ba"),
        ("bgAUC", "bigram_auc"),
    ]
    for name, scorer in result["scorers"].items():
        rows = []
        for label, figures in scorer["figures"].items():
            merged = {
                **result["counts"][label],
                **figures,
                "bigram_ba": baseline["figures"][label]["balanced_accuracy"],
                "bigram_auc": baseline["figures"][label]["roc_auc"],
            }
            rows.append((label, merged))
        hedges = any(f["uncertain"] > 0 for f in scorer["figures"].values())
        print(f"\nscorer: {name}")
        print(table(rows, columns + ([("BAdecid", "ba_decided")] if hedges else [])))
        print(f"  BA, P, R, uncShr: {scorer['scheme']}; 'uncertain' counts as a miss in BA")
        print("  AUC, ECE (10 equal-width bins, support as a probability): no fitting")
        print(
            f"  BAcvthr: {scorer['cv_threshold_scheme']}; fold thresholds "
            + ", ".join(f"{t:.3f}" for t in scorer["fold_thresholds"])
        )
        print(
            f"  bgBA: word-bigram overlap, {baseline['scheme']}; fold thresholds "
            + ", ".join(f"{t:.3f}" for t in baseline["fold_thresholds"])
        )
        print(
            "  rows: per source as is; 'mean over sources' = plain mean of the source rows "
            "(a figure undefined for a source is skipped); 'reweighted' = every (source, label) "
            "cell weighs the same (a source with one label only tilts supShr off 0.5)"
        )
        if hedges:
            print("  BAdecid: balanced accuracy over the rows given a verdict (uncertain left out)")


def learned_cv_section(dev: Path, limit: int | None, workers: int) -> dict:
    """The learned verifier cross-validated by document: bench/fit_verifier.py's predictions
    for each row from a model fitted on the other folds (5 by `group`), with the shipped rules
    and thresholds chosen on those predictions. The shipped model was fitted on these rows, so
    its figures above are in-sample; these are the fair ones. Dev rows only (the project's own
    claims take part in the fit, not in these figures)."""
    import fit_verifier as fit  # bench/ is on the path when this script runs

    data = fit.dataset(dev, workers)
    columns = [i for i, n in enumerate(data.names) if not n.startswith(fit.NOT_IN_MODEL)]
    p = fit.cross_validated(data.x[:, columns], data.y, data.w, data.sources, data.groups)
    rules = fit.rules_of(data.x, data.names, fit.precise_vetoes(data.x, data.y, data.w, data.names))
    above, below = fit.thresholds(p, data.y, data.w, rules, data.sources)
    supported, unsupported = fit.verdicts(p, rules, above, below)
    verdicts = np.where(supported, "supported", np.where(unsupported, "unsupported", "uncertain"))
    dev_rows = data.sources != "footnoted"
    labels, sources = data.y[dev_rows], data.sources[dev_rows]

    def figures(mask, weights):
        y = labels[mask]
        out = verdict_metrics(y, verdicts[dev_rows][mask], weights)
        out["roc_auc"] = roc_auc(p[dev_rows][mask], y, weights)
        out["ece"] = expected_calibration_error(p[dev_rows][mask], y, weights)
        return out

    return {
        "scheme": "5-fold GroupKFold on group: fitted on 4 folds, predicted on the 5th; "
        "thresholds chosen on the held-out predictions",
        "supported_above": above,
        "unsupported_below": below,
        "counts": breakdown(sources, labels, count_figures(labels)),
        "figures": breakdown(sources, labels, figures),
    }


def print_learned_cv(result: dict) -> None:
    columns = [
        ("n", "n"),
        ("supShr", "supported_share"),
        ("AUC", "roc_auc"),
        ("P(sup)", "precision_supported"),
        ("R(sup)", "recall_supported"),
        ("P(uns)", "precision_unsupported"),
        ("uncShr", "uncertain"),
        ("ECE", "ece"),
        ("BAdecid", "ba_decided"),
    ]
    rows = [
        (label, {**result["counts"][label], **figures})
        for label, figures in result["figures"].items()
    ]
    print(table(rows, columns))
    print(
        f"  scheme: {result['scheme']}; supported at >= {result['supported_above']:.4f}, "
        f"unsupported below {result['unsupported_below']:.4f}"
    )


# ================================================================ 2. summaries


# (peripheral, min_sentences) of choose_sentences that the cross-validation chooses among; the
# first is the plain lead of the body (no sentence is ever an aside).
GATE_GRID = [(0.0, 0)] + [(p, n) for p in (0.1, 0.2, 0.25, 0.3) for n in (8, 12, 16)]
assert (PERIPHERAL, CENTRAL_MIN_SENTENCES) in GATE_GRID


def summarize_row(row: dict) -> dict:
    """ROUGE of the extractive engine's short summary and of Lead-3 on the raw text.

    Lead-3 takes the first three sentences of the raw article by the project's own segmenter,
    bylines and all: the baseline every news summarizer is held against (METRICS.md). `grid`
    holds the summary's ROUGE under every GATE_GRID setting, for the cross-validation.
    """
    raw = row["article"]
    summary = row["reference_summary"]
    reference = [summary[s:e] for s, e in split_sentences(summary)]
    lead3 = [raw[s:e] for s, e in split_sentences(raw)[:3]]
    try:
        article = build_article(raw, max_chars=MAX_CHARS)
    except ARTICLE_ERRORS as error:
        return {"error": str(error)}
    extractive = [s.text for s in choose_sentences(article, SUMMARY_SENTENCES)]
    return {
        "extractive": rouge_f1(reference, extractive),
        "lead3": rouge_f1(reference, lead3),
        "grid": grid_rouge(article, reference),
    }


def grid_rouge(article: Article, reference: list[str]) -> list[dict]:
    scored: dict[tuple[int, ...], dict] = {}  # most settings choose the same sentences
    out = []
    for peripheral, min_sentences in GATE_GRID:
        chosen = choose_sentences(
            article, SUMMARY_SENTENCES, peripheral=peripheral, min_sentences=min_sentences
        )
        key = tuple(s.id for s in chosen)
        if key not in scored:
            scored[key] = rouge_f1(reference, [s.text for s in chosen])
        out.append(scored[key])
    return out


def subset_of(row: dict) -> str:
    return row["id"].split(":", 1)[0]


def rouge_means(scored: list[dict]) -> dict:
    out: dict = {"n": len(scored)}
    for system in ("extractive", "lead3"):
        for metric in ROUGE_TYPES:
            out[f"{system}_{metric}"] = nanmean([100 * s[system][metric] for s in scored])
    out["r1_ratio"] = out["extractive_rouge1"] / out["lead3_rouge1"] if scored else math.nan
    return out


def rouge_splits(rows: list[dict], scored: list[dict]) -> dict:
    """rouge_means per dataset, per id-prefix subset, and over all."""
    splits: dict[str, list[dict]] = defaultdict(list)
    for row, s in zip(rows, scored, strict=True):
        splits[f"dataset {row['dataset']}"].append(s)
    for row, s in zip(rows, scored, strict=True):
        splits[f"subset {subset_of(row)}"].append(s)
    splits["all"] = list(scored)
    return {name: rouge_means(items) for name, items in splits.items()}


def summaries_section(dev: Path, limit: int | None, workers: int) -> dict:
    rows = read_jsonl(dev / "summaries.jsonl", limit)
    scored = run_batches(summarize_row, rows, workers)
    good = [(row, s) for row, s in zip(rows, scored, strict=True) if "error" not in s]
    good_rows, good_scored = [r for r, _ in good], [s for _, s in good]
    return {
        "scheme": (
            f"as shipped: PERIPHERAL={PERIPHERAL}, CENTRAL_MIN_SENTENCES="
            f"{CENTRAL_MIN_SENTENCES}, chosen on this data (held-out figures below)"
        ),
        "rows": len(rows),
        "errors": len(rows) - len(good),
        "summary_sentences": SUMMARY_SENTENCES,
        "figures": rouge_splits(good_rows, good_scored),
        "cv": summaries_cv(good_rows, good_scored),
    }


def summaries_cv(rows: list[dict], scored: list[dict]) -> dict:
    """Held-out figures: each article summarized with the GATE_GRID setting that scored best
    on the other folds (5-fold by article), best meaning the mean over subsets of ROUGE-1 over
    Lead-3's. Ties go to the earlier setting (the plain lead first)."""
    fold_of = group_kfold([row["id"] for row in rows])
    subsets = np.array([subset_of(row) for row in rows])
    ours = np.array([[g["rouge1"] for g in s["grid"]] for s in scored]).reshape(len(rows), -1)
    lead = np.array([s["lead3"]["rouge1"] for s in scored])

    def objective(setting: int, train: np.ndarray) -> float:
        masks = [train & (subsets == name) for name in np.unique(subsets[train])]
        return float(np.mean([ours[m, setting].mean() / lead[m].mean() for m in masks]))

    held = list(scored)
    picks = []
    for fold in sorted(set(fold_of)):
        train = fold_of != fold
        best = max(range(len(GATE_GRID)), key=lambda g: (objective(g, train), -g))
        picks.append(GATE_GRID[best])
        for i in np.flatnonzero(~train):
            held[i] = {"extractive": scored[i]["grid"][best], "lead3": scored[i]["lead3"]}
    return {"picks": picks, "figures": rouge_splits(rows, held)}


def print_summaries(result: dict) -> None:
    print(
        f"summaries.jsonl: {result['rows']} articles, {result['errors']} not buildable; "
        f"ROUGE F1 x100 (rouge-score, use_stemmer=True)\nscheme: {result['scheme']}"
    )
    print_rouge_table(result["figures"])
    print(
        f"  ext = extractive engine, {result['summary_sentences']} sentences (choose_sentences); "
        "L3 = Lead-3, the first 3 sentences of the raw article (split_sentences); "
        "RLs: one sentence a line"
    )
    picks = ", ".join(f"({p}, {n})" for p, n in result["cv"]["picks"])
    print(
        "\nheld out: 5-fold by article; (PERIPHERAL, CENTRAL_MIN_SENTENCES) chosen per fold from "
        f"{len(GATE_GRID)} settings on the other folds: {picks}"
    )
    print_rouge_table(result["cv"]["figures"])


def print_rouge_table(figures: dict) -> None:
    columns = [
        ("n", "n"),
        ("ext R1", "extractive_rouge1"),
        ("ext R2", "extractive_rouge2"),
        ("ext RLs", "extractive_rougeLsum"),
        ("L3 R1", "lead3_rouge1"),
        ("L3 R2", "lead3_rouge2"),
        ("L3 RLs", "lead3_rougeLsum"),
        ("R1 x/L3", "r1_ratio"),
    ]
    digits = {key: 1 for _, key in columns if key != "r1_ratio"}
    print(table(list(figures.items()), columns, label_width=24, digits=digits))


# ================================================================ 3. chat


def answer_paragraph(batch: tuple[str, list[dict]]) -> list[dict]:
    """Ask every question about one paragraph (its article built once) through the chat
    pipeline on the extractive engine, as /v1/chat answers it.

    An answer counts as found when one golden answer, normalized as SQuAD does, stands as whole
    words in the answer text or in one of its quoted sentences (METRICS.md "fact match").
    """
    context, questions = batch
    article = build_article(context, max_chars=MAX_CHARS)
    out = []
    for q in questions:
        try:
            messages = [ChatMessage(role="user", content=q["question"])]
            result = asyncio.run(answer(article, messages, ExtractiveEngine()))
        except InvalidInput as error:  # a question with no words: the service refuses it
            out.append({"index": q["index"], "error": str(error)})
            continue
        texts = [result.answer] + [c.quote for claim in result.claims for c in claim.citations]
        answered = result.answerable and result.validation.status == "verified"
        found = answered and any(fact_match(gold, *texts) for gold in q["answers"])
        out.append({"index": q["index"], "answered": answered, "found": found})
    return out


def chat_figures(answerable: np.ndarray, answered: np.ndarray, found: np.ndarray) -> dict:
    """Answer found, abstention recall, false abstention and their balanced accuracy."""
    abstained = ~answered
    abstention_recall = float(abstained[~answerable].mean()) if (~answerable).any() else math.nan
    false_abstention = float(abstained[answerable].mean()) if answerable.any() else math.nan
    answered_answerable = answered & answerable
    return {
        "n": len(answerable),
        "answerable": int(answerable.sum()),
        "answered_answerable": int(answered_answerable.sum()),
        "answer_found": (
            float(found[answered_answerable].mean()) if answered_answerable.any() else math.nan
        ),
        "abstention_recall": abstention_recall,
        "false_abstention": false_abstention,
        "abstention_ba": (abstention_recall + 1 - false_abstention) / 2,
        "answered_unanswerable": int((answered & ~answerable).sum()),
    }


def chat_section(dev: Path, limit: int | None, workers: int) -> dict:
    rows = read_jsonl(dev / "qa.jsonl", limit)
    batches = [
        (
            context,
            [
                {"index": i, "question": rows[i]["question"], "answers": rows[i]["answers"]}
                for i in indices
            ],
        )
        for context, indices in grouped(rows, "context")
    ]
    results = {
        r["index"]: r for batch in run_batches(answer_paragraph, batches, workers) for r in batch
    }
    keep = [i for i in range(len(rows)) if "error" not in results[i]]
    answerable = np.array([bool(rows[i]["answerable"]) for i in keep])
    answered = np.array([results[i]["answered"] for i in keep], dtype=bool)
    found = np.array([results[i]["found"] for i in keep], dtype=bool)
    return {
        "scheme": "as shipped; its answer model was fitted on these questions, so in-sample "
        "(3b: cross-validated)",
        "rows": len(rows),
        "paragraphs": len(batches),
        "errors": len(rows) - len(keep),
        "figures": {"all": chat_figures(answerable, answered, found)},
    }


def print_chat(result: dict) -> None:
    print(
        f"qa.jsonl: {result['rows']} questions, {result['paragraphs']} paragraphs, "
        f"{result['errors']} refused as input; scheme: {result['scheme']}"
    )
    columns = [
        ("n", "n"),
        ("answrbl", "answerable"),
        ("ans+ok", "answered_answerable"),
        ("found", "answer_found"),
        ("abstRec", "abstention_recall"),
        ("falseAb", "false_abstention"),
        ("abstBA", "abstention_ba"),
        ("ans+no", "answered_unanswerable"),
    ]
    print(table(list(result["figures"].items()), columns))
    print(
        "  found = among answerable questions answered, share whose answer or quote holds a "
        "golden answer (SQuAD-normalized, whole words)"
    )
    print(
        "  abstRec = abstained on unanswerable / unanswerable; falseAb = abstained on answerable "
        "/ answerable; abstBA = mean of abstRec and 1 - falseAb"
    )


def chat_cv_section(dev: Path, limit: int | None, workers: int) -> dict:
    """The answer model cross-validated by paragraph: bench/fit_answering.py's predictions for
    each question from a model fitted on the other folds (5 by `group`), the threshold chosen on
    those predictions. The engine's decision alone (the pipeline's own check is not in it)."""
    import fit_answering as fit  # bench/ is on the path when this script runs

    rows = fit.load(dev, workers)[:limit]
    p, cut = fit.cross_validated_decision(rows)
    answered = p >= cut
    answerable = np.array([r["answerable"] for r in rows])
    found = np.array([r["right"] for r in rows]) & answered
    return {
        "scheme": "5-fold GroupKFold on group (paragraph): fitted on 4 folds, predicted on the "
        "5th; threshold chosen on the held-out predictions",
        "rows": len(rows),
        "paragraphs": len({r["group"] for r in rows}),
        "errors": 0,
        "threshold": cut,
        "figures": {"all": chat_figures(answerable, answered, found)},
    }


# ================================================================ command


def parse_args(argv: Iterable[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dev",
        type=Path,
        default=DEFAULT_DEV,
        help=f"the labelled dev folder (default {DEFAULT_DEV})",
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N rows per file")
    parser.add_argument("--json", type=Path, default=None, help="also write all figures here")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument(
        "--scorer",
        action="append",
        choices=sorted(SCORERS),
        help="claim scorers to run (default: all registered)",
    )
    parser.add_argument(
        "--sections",
        default="verifier,verifier-cv,summaries,chat,chat-cv",
        help="comma-separated subset of verifier,verifier-cv,summaries,chat,chat-cv",
    )
    return parser.parse_args(list(argv) if argv is not None else None)


def main(argv: Iterable[str] | None = None) -> None:
    args = parse_args(argv)
    if not args.dev.is_dir():
        sys.exit(f"no dev data at {args.dev} (see --dev)")
    scorers = tuple(args.scorer or SCORERS)
    sections = {
        "verifier": (
            lambda: verifier_section(args.dev, args.limit, args.workers, scorers),
            print_verifier,
            "1. Verifier",
        ),
        "verifier-cv": (
            lambda: learned_cv_section(args.dev, args.limit, args.workers),
            print_learned_cv,
            "1b. Verifier (learned, cross-validated by document)",
        ),
        "summaries": (
            lambda: summaries_section(args.dev, args.limit, args.workers),
            print_summaries,
            "2. Extractive summaries",
        ),
        "chat": (
            lambda: chat_section(args.dev, args.limit, args.workers),
            print_chat,
            "3. Chat (extractive engine)",
        ),
        "chat-cv": (
            lambda: chat_cv_section(args.dev, args.limit, args.workers),
            print_chat,
            "3b. Chat abstention (answer model, cross-validated by paragraph)",
        ),
    }
    figures: dict = {"dev": str(args.dev), "limit": args.limit}
    started = time.perf_counter()
    for name in args.sections.split(","):
        compute, show, title = sections[name]
        print(f"\n=== {title} ===")
        t0 = time.perf_counter()
        figures[name] = compute()
        figures[name]["seconds"] = time.perf_counter() - t0
        show(figures[name])
        print(f"[{name}: {figures[name]['seconds']:.1f} s]")
    figures["seconds"] = time.perf_counter() - started
    print(f"\ntotal {figures['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(json_safe(figures), indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
