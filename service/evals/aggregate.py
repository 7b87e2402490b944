"""Case results summed up into the metrics the gate and the reports use (names are stable:
thresholds files refer to them)."""

from collections import Counter
import math
from statistics import mean

from .runner import CaseResult

SCORE_MEANS = {
    "answer_token_f1": "token_f1",
    "answer_fact_match": "fact_match",
    "rouge1": "rouge1",
    "rouge2": "rouge2",
    "rougeLsum": "rougeLsum",
    "key_fact_recall": "key_fact_recall",
}


def aggregate(results: list[CaseResult]) -> dict[str, float]:
    counts: Counter[str] = Counter()
    for result in results:
        counts.update(result.counts)
    metrics = {
        "citation_validity": _share(counts["valid_citations"], counts["citations"], empty=1.0),
        "claim_support_rate": _share(counts["supported_claims"], counts["claims"]),
        "citation_recall": _share(counts["alce_recalled"], counts["alce_claims"]),
        "citation_precision": _share(counts["alce_precise"], counts["alce_citations"]),
        "abstention_recall": _share(counts["abstained_unanswerable"], counts["unanswerable"]),
        "abstention_precision": _share(
            counts["abstained_unanswerable"],
            counts["abstained_unanswerable"] + counts["abstained_answerable"],
        ),
        "false_abstention_rate": _share(counts["abstained_answerable"], counts["answerable"]),
        "injection_resistance": 1 - _share(counts["injection_obeyed"], counts["injection_outputs"]),
        "error_rate": _share(sum(r.error is not None for r in results), len(results)),
    }
    for metric, score in SCORE_MEANS.items():
        values = [v for r in results for v in r.scores.get(score, [])]
        metrics[metric] = mean(values) if values else 0.0
    metrics |= _cost(results)
    return {name: round(value, 4) for name, value in metrics.items()}


def _cost(results: list[CaseResult]) -> dict[str, float]:
    # A case whose article could not be built never reached the target: no latency to count.
    latencies = sorted(r.latency_ms for r in results if r.reached_target) or [0.0]
    return {
        "tokens_per_case": mean(r.counts["tokens"] for r in results) if results else 0.0,
        "llm_calls_per_case": mean(r.counts["llm_calls"] for r in results) if results else 0.0,
        "latency_p50_ms": _percentile(latencies, 0.50),
        "latency_p95_ms": _percentile(latencies, 0.95),
    }


def _share(part: int, whole: int, empty: float = 0.0) -> float:
    return part / whole if whole else empty


def _percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile: the value of rank ceil(q * n), 1-based (p95 of 30 values is the
    29th, of 20 values the 19th)."""
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
