"""The learned verifier: a logistic regression over the claim's features (features.py) that gives
`support`, a probability that the claim is supported, and the thresholds that turn it into a
verdict a reader can rely on.

The parameters ship in verifier.json beside this module; bench/fit_verifier.py refits them,
deterministically, on real labelled claims (../shared/dev/) and the project's own claim set, with
every source and both labels weighing the same. `supported_above` was chosen on cross-validated
predictions for the precision of `supported`, `unsupported_below` for the precision of
`unsupported`; between them the verdict is `uncertain`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..reading.segment import split_sentences
from ..results import Verdict
from .features import Source, claim_features
from .logistic import Logistic, logistic_fields, read_model

MODEL_FILE = "verifier.json"


@dataclass(frozen=True)
class LearnedVerifier(Logistic):
    supported_above: float
    unsupported_below: float
    hard_vetoes: tuple[str, ...]  # checks precise enough on real data to decide alone

    def verdict(self, probability: float) -> Verdict:
        if probability >= self.supported_above:
            return "supported"
        if probability < self.unsupported_below:
            return "unsupported"
        return "uncertain"


def feature_vector(claim: str, evidence: Sequence[str], source: Source) -> dict[str, float]:
    """The features of a claim of one or more sentences: each sentence's, then the lowest and the
    highest over them, so the weakest sentence of a claim shows (an invented sentence does not
    ride on a true one)."""
    pieces = [claim[s:e] for s, e in split_sentences(claim)] or [claim]
    each = [claim_features(piece, evidence, source) for piece in pieces]
    vector = {}
    for name in each[0]:
        values = [found[name] for found in each]
        vector[f"{name}_min"], vector[f"{name}_max"] = min(values), max(values)
    vector["sentences"] = float(len(pieces))
    # A one-sentence claim taken from one article sentence by dropping words is another matter
    # than a summary of several sentences each taken so (whose order and references may still
    # mislead): the model weighs them apart.
    alone = float(len(pieces) == 1)
    for name in ("subsequence_min", "lcs_best_min", "pieces_max"):
        vector[f"{name}_alone"] = vector[name] * alone
        vector[f"{name}_several"] = vector[name] * (1.0 - alone)
    return vector


@lru_cache(maxsize=1)
def learned_verifier() -> LearnedVerifier:
    data = read_model(__package__, MODEL_FILE)
    return LearnedVerifier(
        **logistic_fields(data),
        supported_above=data["supported_above"],
        unsupported_below=data["unsupported_below"],
        hard_vetoes=tuple(data["hard_vetoes"]),
    )
