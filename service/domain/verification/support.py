"""Verification: does the cited text support the claim?

support = share of the claim's content words (Porter stems) found in the cited text; in the
spirit of ragas "faithfulness" counted per claim. Then the vetoes that word overlap misses: every
name in the claim (a capitalised word not opening the sentence) must appear in the cited text,
and none of the checks in checks.py may fire (numbers, negation, antonyms, modality, causal
links, attribution). A vetoed claim is unsupported, its score capped at VETO_CAP, however high
its overlap.
"""

from dataclasses import dataclass, field
import re

from .vetoes import CHECKS, clauses, numbers, opens_sentence, shared_work
from ..reading.segment import split_sentences
from ..words import STOPWORDS, WORD as _WORD, content_stems, content_words

# Fitted on the labelled claim set (bench/verifier.py prints the fit and the cross-validated
# figures): the vetoes carry much of the decision, so the overlap needed is moderate.
SUPPORT_THRESHOLD = 0.57
# A claim caught by a veto scores at most this, so the score agrees with the verdict.
VETO_CAP = 0.3
# A sentence of more clauses than this is not checked (and not supported) unless verbatim.
MAX_CLAUSES = 64

_CAPITALIZED = re.compile(r"\b[^\W\d_][^\W_]+")
# "Okafor voted", "Okafor's plan", "Okafor, the mayor," : an opening capitalised word used as a name.
_OPENING_NAME = re.compile(r"[\"“‘]?([A-Z][a-z]+)(?:['’]s)?(?:,|\s+(?:[A-Z]|\w+ed\b|said|says|told|is|was|has|had|will|won|lost|led|ran|saw|met|took|made|gave|got|left|became))")
# Capitalised openers that are ordinary words, not names.
COMMON_OPENERS = frozenset("""officials police residents critics experts analysts researchers
scientists voters workers students teachers parents prosecutors investigators lawmakers leaders
authorities shares prices sales profits revenue enrollment attendance turnout construction work
the a an this that these those it he she they we i its their his her our after before during
while when since although though because if as in on at by for with from of over under about
both each every all some many most several few no one two three four five six seven eight nine
ten""".split())


@dataclass(frozen=True)
class Support:
    score: float
    supported: bool
    missing_numbers: list[str] = field(default_factory=list)
    missing_names: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # every veto that fired, said plainly


def check_support(claim: str, evidence: list[str]) -> Support:
    """Score `claim` against the cited passages taken together. A claim of several sentences
    is supported only when each of them is: an invented sentence does not ride on a true one."""
    cited = " ".join(evidence)
    if claim.strip() and _flat(claim) in {_flat(cited), *map(_flat, evidence)}:
        return Support(score=1.0, supported=True)  # a cited sentence, verbatim: nothing is off
    with shared_work():  # the checks share their view of the evidence within this call
        pieces = [claim[s:e] for s, e in split_sentences(claim)]
        if len(pieces) > 1:
            return _weakest(pieces, [_check_one(piece, cited) for piece in pieces])
        return _check_one(claim, cited)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _weakest(pieces: list[str], parts: list[Support]) -> Support:
    reasons = [reason for piece, part in zip(pieces, parts) for reason in part.reasons or (
        [] if part.supported else [f'its sentence "{piece}" is not in the cited text'])]
    return Support(score=min(p.score for p in parts), supported=all(p.supported for p in parts),
                   missing_numbers=sorted({n for p in parts for n in p.missing_numbers}),
                   missing_names=sorted({n for p in parts for n in p.missing_names}),
                   reasons=reasons)


def _check_one(claim: str, cited: str) -> Support:
    if len(clauses(claim)) > MAX_CLAUSES:  # the checks compare clauses pairwise: bounded work
        return Support(score=0.0, supported=False, reasons=[
            f"it is too long to check (over {MAX_CLAUSES} clauses in one sentence)"])
    score = _overlap(claim, cited)
    missing_numbers = sorted(numbers(claim) - numbers(cited))
    missing_names = sorted(_names(claim) - _words(cited))
    reasons = [f'the name "{n}" is not in the cited text' for n in missing_names]
    reasons += [reason for check in CHECKS for reason in check(claim, cited)] if cited else []
    if reasons:
        score = min(score, VETO_CAP)
    return Support(score=round(score, 3), supported=score >= SUPPORT_THRESHOLD,
                   missing_numbers=missing_numbers, missing_names=missing_names, reasons=reasons)


def coverage(claim: str, evidence: list[str]) -> tuple[int, float]:
    """(numbers and names of the claim missing from the evidence, word overlap): the cheap part
    of check_support, for choosing evidence."""
    cited = " ".join(evidence)
    missing = len(numbers(claim) - numbers(cited)) + len(_names(claim) - _words(cited))
    return missing, _overlap(claim, cited)


def _overlap(claim: str, cited: str) -> float:
    claim_stems = content_stems(claim)
    if not claim_stems:
        return 0.0
    return len(claim_stems & content_stems(cited)) / len(claim_stems)


def _words(text: str) -> set[str]:
    """Lower-cased words, possessives also without their "'s" ("Tuesday's" holds "tuesday"),
    and the parts of "O'Brien" too ("brien")."""
    words = {w.lower() for w in _WORD.findall(text.replace("’", "'"))}
    return words | {w[:-2] for w in words if w.endswith("'s")} | {
        part for w in words if "'" in w for part in w.split("'")}


def _names(text: str) -> set[str]:
    """Capitalised words: names. The opening word counts too when the next is capitalised as
    well ("Ruth Okafor said") or it is a surname-like word a news sentence opens with before a
    verb ("Okafor voted"): a subject is where a swapped name most often stands."""
    text = text.strip()
    names = {m.group(0).lower() for m in _CAPITALIZED.finditer(text)
             if m.group(0)[0].isupper() and not opens_sentence(text, m.start())
             and m.group(0).lower() not in STOPWORDS}
    opening = _OPENING_NAME.match(text)
    if opening and opening.group(1).lower() not in STOPWORDS | COMMON_OPENERS:
        names.add(opening.group(1).lower())
    return names
