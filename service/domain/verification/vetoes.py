"""Checks that word overlap misses, one small function each. Each takes a claim and the text
cited for it, and returns the reasons it finds the claim unsupported (empty: it does not fire).

They veto: a claim whose words are all in the source but whose number, name, polarity,
certainty, causal link or speaker differs is not supported. support.py combines them.
"""

from collections.abc import Callable
from dataclasses import dataclass
import re

from ..reading.segment import split_sentences
from ..words import NUMBER, letter_words, lower_words, stem, stems, straight
from .antonyms import opposites
from .memo import shared

_SPEECH_VERB = re.compile(
    r"\b(said|says|told|added|argued|warned|noted|wrote|stated|announced|"
    r"according to)\b"
)
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|,\s+(?:and|but|while|whereas)\s+")
# "one" and "zero" are left out: "one committee" is more often an article than a count.
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if i > 1
}
CLOSE = 0.6  # a clause this close to its source clause is a rewrite of it: flips are errors
_MONTHS_DAYS = set(
    "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
NEGATIONS = {"not", "no", "never", "none", "neither", "nor", "without", "cannot"}
HEDGES = re.compile(
    r"\b(may|might|could|should|possibly|perhaps|probably|likely|unlikely|"
    r"potentially|(expected|plans?|planning|planned|hopes?|hoping|aims?|seeks?|"
    r"intends?|proposes?|wants?) to|considering|if)\b",
    re.IGNORECASE,
)
CAUSAL = re.compile(
    r"\b(because|due to|as a result|caused|causes|causing|led to|leads to|"
    r"leading to|thanks to|therefore|in response to|so that|result of|blamed)\b",
    re.IGNORECASE,
)
_SPEECH = r"(?:said|says|told|added|argued|warned|noted|wrote|stated|announced)"
_NAME = r"[A-Z][a-z][a-zA-Z'’-]*"
# "Okafor said", "said Ruth Okafor." / "said Okafor,", "according to Okafor"
_SPEAKER = re.compile(
    rf"\b({_NAME})\s+{_SPEECH}\b|\b{_SPEECH}\s+(?:{_NAME}\s+){{0,2}}({_NAME})\s*[,.]|"
    rf"\baccording to (?:the\s+)?(?:{_NAME}\s+){{0,2}}({_NAME})"
)
_CAPITAL = re.compile(r"(?<![\"“‘(])\b[^\W\d_][^\W\d_'’-]+")
# Titles whose period ends no sentence: "Mr. Okafor" is a name, not a sentence's first word.
TITLES = frozenset("Mr Mrs Ms Dr St Lt Gen Sen Gov Rep Col Sgt Rev Maj Adm Capt Prof".split())
_SENTENCE_END_BEFORE = re.compile(r"(\w*)[.!?]\s+$")


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence (its capital says nothing of a name)."""
    if start == 0:
        return True
    end = _SENTENCE_END_BEFORE.search(text, max(start - 8, 0), start)
    return end is not None and end.group(1) not in TITLES


_NOT_SPEAKERS = {"The", "A", "An", "He", "She", "They", "It", "Dr", "Mr", "Mrs", "Ms", "Gen"}


def numbers(text: str) -> set[str]:
    """Numbers as digits: "2", "two" and "2.0" are one; thousands separators dropped."""
    found = {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}
    found = {n[:-2] if n.endswith(".0") else n for n in found}
    return found | {NUMBER_WORDS[w] for w in lower_words(text) if w in NUMBER_WORDS}


def number_mismatch(claim: str, evidence: str) -> list[str]:
    """Every number of the claim is in the cited text, or is the sum or difference of two that
    are ("870 fewer students" from 7,020 and 6,150; one-digit numbers add up by chance too
    easily to count)."""
    cited = numbers(evidence)
    return [
        f'"{n}" is not in the cited text'
        for n in sorted(numbers(claim) - cited)
        if sum(ch.isdigit() for ch in n) < 2 or not _derived(n, cited)
    ]


def _derived(number: str, cited: set[str]) -> bool:
    """One pass with a set lookup, not every pair: cited text can hold thousands of numbers."""
    try:
        target = round(float(number), 6)
        values = {round(float(c), 6) for c in cited}
    except ValueError:
        return False
    return any(
        b in values and b != a
        for a in values
        for b in (round(target - a, 6), round(a - target, 6), round(a + target, 6))
    )


@shared
def close_pairs(claim: str, evidence: str) -> tuple[tuple[str, str], ...]:
    """(claim clause, source clause) pairs where the claim rewrites the source closely: only
    there is a flipped polarity, certainty or name an error rather than a paraphrase. Shared:
    five checks ask for the same pairs."""
    pairs = []
    for part in clauses(claim):
        source = _most_alike(_units(evidence).clauses, part)
        ours = stems(part) - _FUNCTION_STEMS
        if ours and len(ours & source.stems) / len(ours) >= CLOSE:
            pairs.append((part, source.text))
    return tuple(pairs)


@dataclass(frozen=True)
class _Unit:
    text: str
    words: frozenset[str]
    stems: frozenset[str]


@dataclass(frozen=True)
class _Units:
    clauses: list[_Unit]
    sentences: list[_Unit]


@shared
def _units(evidence: str) -> _Units:
    """The evidence's clauses and sentences with their words, worked out once per check (the
    checks compare every claim clause with them: redoing it each time was quadratic)."""

    def unit(text: str) -> _Unit:
        found = lower_words(text)
        return _Unit(text, frozenset(found), frozenset(stem(w) for w in found))

    sentences = [evidence[s:e] for s, e in split_sentences(evidence)] or [evidence]
    return _Units([unit(c) for c in clauses(evidence)], [unit(s) for s in sentences])


def _most_alike(units: list[_Unit], claim: str) -> _Unit:
    claimed = lower_words(claim)
    return max(units, key=lambda u: len(u.words & claimed))


def negation_flip(claim: str, evidence: str) -> list[str]:
    """A claim clause and the source clause it rewrites agree in polarity."""
    for part, source_clause in close_pairs(claim, evidence):
        said, source = _negated(part), _negated(source_clause)
        if said != source:
            return [
                "the claim negates what the source says"
                if said
                else "the source negates what the claim says"
            ]
    return []


def _negated(text: str) -> bool:
    return bool(lower_words(text) & NEGATIONS) or "n't" in text.lower()


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c.strip()] or [text]


def antonym_flip(claim: str, evidence: str) -> list[str]:
    reasons = []
    for part, source_clause in close_pairs(claim, evidence):
        claimed, cited = stems(part), stems(source_clause)
        reasons += [
            f'"{w}" where the source says the opposite ("{sorted(opposites(w) & cited)[0]}")'
            for w in sorted(claimed - cited)
            if opposites(w) & (cited - claimed)
        ]
    return reasons


_FUNCTION_STEMS = {
    stem(w)
    for w in """a an the and or but of at by for with to from in on
as is are was were be been has have had it its this that these those he she they his her their
which who said says will would""".split()
}


def modality_shift(claim: str, evidence: str) -> list[str]:
    """What the source says may happen, the claim does not say will (or did) happen. (A claim
    more cautious than its source is weaker, not wrong.)"""
    for part, source_clause in close_pairs(claim, evidence):
        cited = HEDGES.search(source_clause)
        if cited and not HEDGES.search(part):
            return [f'the source hedges ("{cited.group(0)}"); the claim states it as certain']
    return []


def unsupported_link(claim: str, evidence: str) -> list[str]:
    link = CAUSAL.search(claim)
    if link and not CAUSAL.search(evidence):
        return [f'the claim links facts ("{link.group(0)}") that the source does not link']
    return []


def attribution_mismatch(claim: str, evidence: str) -> list[str]:
    """Who said it: the claim's speaker must be named in the source sentence that says it."""
    claimed = speakers(claim)
    if not claimed:
        return []
    sentence = aligned_sentence(claim, evidence)
    named = words_cased(sentence)
    if not _SPEECH_VERB.search(sentence) or any(
        all(part in named for part in speaker.split("-")) for speaker in claimed
    ):
        return []
    return [f"the claim has {sorted(claimed)[0]} say it; the source sentence does not"]


def aligned_sentence(claim: str, evidence: str) -> str:
    return _most_alike(_units(evidence).sentences, claim).text


@shared
def words_cased(text: str) -> frozenset[str]:
    """Words as written, possessives without their "'s", "O'Brien" also as "O" and "Brien"."""
    found = {w.removesuffix("'s") for w in letter_words(text)}
    return frozenset(found | {part for w in found if "'" in w for part in w.split("'")})


def speakers(text: str) -> set[str]:
    found = {next(g for g in m.groups() if g) for m in _SPEAKER.finditer(text)}
    return {straight(name).removesuffix("'s") for name in found} - _NOT_SPEAKERS


def date_mismatch(claim: str, evidence: str) -> list[str]:
    """A day or month of the claim stands in the source sentence that says what the claim says,
    when that sentence gives one: "Friday" borrowed from another sentence is a changed date."""
    for part, _ in close_pairs(claim, evidence):
        sentence = words_cased(aligned_sentence(part, evidence)) & _MONTHS_DAYS
        claimed = words_cased(part) & _MONTHS_DAYS
        if sentence and claimed - sentence:
            return [
                f'"{sorted(claimed - sentence)[0]}" where the source says "{sorted(sentence)[0]}"'
            ]
    return []


def misplaced_name(claim: str, evidence: str) -> list[str]:
    """A name swapped for another: the source sentence that says what a clause says names
    someone the clause leaves out, and the clause names someone that sentence does not."""
    for part, _ in close_pairs(claim, evidence):
        sentence = aligned_sentence(part, evidence)
        theirs, ours = _names_in(sentence), _names_in(part)
        ours_cased, theirs_cased = words_cased(part), words_cased(sentence)
        absent = [n for n in ours if not all(p in theirs_cased for p in n.split("-"))]
        replaced = [n for n in theirs if not all(p in ours_cased for p in n.split("-"))]
        if absent and replaced:
            return [f"{sorted(absent)[0]} where the source says {sorted(replaced)[0]}"]
    return []


@shared
def _names_in(text: str) -> frozenset[str]:
    found = {
        straight(m.group(0)).removesuffix("'s").rstrip("'")
        for m in _CAPITAL.finditer(text)
        if m.group(0)[0].isupper()
        and m.group(0)[1].islower()
        and not opens_sentence(text, m.start())
    }
    return frozenset(found - _NOT_SPEAKERS - _MONTHS_DAYS)


# A name opening the claim (its subject), then its verb: "Li Zhaoxing refused", "The United
# Nations Security Council has imposed".
_SUBJECT_VERB = re.compile(
    r"(?:The\s+)?((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]*)\s+"
    r"(?:(?:has|have|had|was|were|is|are|also|then|later|reportedly)\s+)*"
    r"([a-z]+)\b"
)


def split_subject(claim: str, evidence: str) -> list[str]:
    """Who did it: the claim's subject and its verb stand in one source sentence. A subject
    from one sentence given the verb of another ("Li Zhaoxing refused" where the source has Li
    Zhaoxing call for talks and Pyongyang refuse) is the splice summarizers make."""
    found = _SUBJECT_VERB.match(claim.strip())
    if found is None:
        return []
    subject, verb = found.group(1).split()[-1].rstrip("."), found.group(2)
    verb_stem = stem(verb)
    if verb_stem in _FUNCTION_STEMS or subject in TITLES:
        return []
    sentences = _units(evidence).sentences
    naming = [s for s in sentences if subject in words_cased(s.text)]
    if not naming or any(verb_stem in s.stems for s in naming):
        return []
    if not any(verb_stem in s.stems for s in sentences):
        return []  # the verb is nowhere: word overlap sees that
    return [f'{subject} "{verb}" joins a subject and a verb from different source sentences']


CHECKS = (
    number_mismatch,
    negation_flip,
    antonym_flip,
    modality_shift,
    unsupported_link,
    attribution_mismatch,
    misplaced_name,
    date_mismatch,
    split_subject,
)


@shared
def findings(check: Callable[[str, str], list[str]], claim: str, evidence: str) -> list[str]:
    """What `check` finds, worked out once per claim: the learned verifier's features and the
    reasons given to the reader both ask."""
    return check(claim, evidence)
