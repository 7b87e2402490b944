"""Verification: does the cited text support the claim?

`support` is a probability that the claim is supported, from the learned verifier (learned.py):
a logistic regression, fitted on real labelled claims, over how the claim aligns with its
evidence and its article and over the checks of vetoes.py (numbers, negation, antonyms,
modality, causal links, attribution, names, dates). The verdict promises what was measured:
`supported` above a threshold chosen for its precision, `unsupported` below one chosen for the
opposite precision, `uncertain` between them. A claim on which a check fired is never
`supported`, and one on which a check that is precise on real data fired is `unsupported`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..reading.segment import split_sentences
from ..words import content_stems
from .features import Source, source_of
from .learned import feature_vector, learned_verifier
from .memo import shared_work
from .mentions import names, word_forms
from .vetoes import CHECKS, clauses, findings, numbers

Verdict = Literal["supported", "uncertain", "unsupported"]
# A claim caught by a precise check scores at most this, so the score agrees with the verdict.
VETO_CAP = 0.3
# A sentence of more clauses than this is not checked (and not supported) unless verbatim.
MAX_CLAUSES = 64


@dataclass(frozen=True)
class Support:
    score: float
    verdict: Verdict
    missing_numbers: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # every check that fired, said plainly

    @property
    def supported(self) -> bool:
        return self.verdict == "supported"


def check_support(claim: str, evidence: Sequence[str], source: Source | None = None) -> Support:
    """Score `claim` against the cited passages taken together. `source`, the article they come
    from, shows the words and names the article never uses; without it the evidence stands in."""
    evidence = list(evidence)
    cited = " ".join(evidence)
    if claim.strip() and _flat(claim) in {_flat(cited), *map(_flat, evidence)}:
        return Support(score=1.0, verdict="supported")  # a cited sentence, verbatim
    if not cited.strip():
        return Support(score=0.0, verdict="unsupported", reasons=["it cites nothing"])
    if not content_stems(claim):
        return Support(score=0.0, verdict="unsupported", reasons=["it says nothing to check"])
    pieces = [claim[s:e] for s, e in split_sentences(claim)] or [claim]
    if any(len(clauses(piece)) > MAX_CLAUSES for piece in pieces):  # bounded work
        return Support(
            score=0.0,
            verdict="unsupported",
            reasons=[f"it is too long to check (over {MAX_CLAUSES} clauses in one sentence)"],
        )
    with shared_work():  # the checks share their view of the evidence within this call
        vector = feature_vector(claim, evidence, source or source_of(evidence))
        reasons = [reason for piece in pieces for reason in _reasons(piece, cited)]
    model = learned_verifier()
    score = model.probability(vector)
    verdict = model.verdict(score)
    if any(vector[f"{name}_max"] for name in model.hard_vetoes):
        verdict, score = "unsupported", min(score, VETO_CAP)
    elif reasons and verdict == "supported":
        verdict = "uncertain"  # a check fired that is not precise enough to veto: not supported
    return Support(
        score=round(score, 3),
        verdict=verdict,
        missing_numbers=sorted(numbers(claim) - numbers(cited)),
        missing_names=sorted(names(claim) - word_forms(cited)),
        reasons=reasons,
    )


def _reasons(piece: str, cited: str) -> list[str]:
    missing = sorted(names(piece) - word_forms(cited))
    reasons = [f'the name "{n}" is not in the cited text' for n in missing]
    return reasons + (
        [reason for check in CHECKS for reason in findings(check, piece, cited)] if cited else []
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def coverage(claim: str, evidence: list[str]) -> tuple[int, float]:
    """(numbers and names of the claim missing from the evidence, word overlap): the cheap part
    of check_support, for choosing evidence."""
    cited = " ".join(evidence)
    missing = len(numbers(claim) - numbers(cited)) + len(names(claim) - word_forms(cited))
    return missing, _overlap(claim, cited)


def _overlap(claim: str, cited: str) -> float:
    claim_stems = content_stems(claim)
    if not claim_stems:
        return 0.0
    return len(claim_stems & content_stems(cited)) / len(claim_stems)
