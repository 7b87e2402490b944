"""Answer metrics as METRICS.md defines them.

Normalization and token F1 follow the SQuAD v1.1 evaluation script (Rajpurkar et al. 2016):
lower-case, strip punctuation and the articles a/an/the, split on white space.
"""

from collections import Counter
import re
import string

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation) | {"“", "”", "‘", "’", "—", "–"}


def normalize_answer(text: str) -> str:
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def token_f1(prediction: str, golden: str) -> float:
    predicted, expected = normalize_answer(prediction).split(), normalize_answer(golden).split()
    common = sum((Counter(predicted) & Counter(expected)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def fact_match(golden: str, *texts: str) -> bool:
    """The golden answer, normalized, stands in the answer or in one of its quotes."""
    needle = f" {normalize_answer(golden)} "
    return any(needle in f" {normalize_answer(text)} " for text in texts)
