"""ROUGE as METRICS.md defines it: the `rouge-score` package, use_stemmer=True, F1.

ROUGE-Lsum takes one sentence a line (Lin 2004; Google's rouge-score implementation).
"""

from functools import lru_cache

from rouge_score import rouge_scorer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


@lru_cache(maxsize=1)
def _scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def rouge_f1(reference: list[str], candidate: list[str]) -> dict[str, float]:
    """F1 per ROUGE type; both sides are lists of sentences."""
    scores = _scorer().score("\n".join(reference), "\n".join(candidate))
    return {name: scores[name].fmeasure for name in ROUGE_TYPES}
