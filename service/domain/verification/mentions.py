"""Mentions a claim must not invent: names (capitalised words that are not a sentence's
opening word, with care for the subject that opens it) and the word forms they are looked up in."""

import re

from ..words import STOPWORDS, WORD, straight
from .vetoes import opens_sentence

_CAPITALIZED = re.compile(r"\b[^\W\d_][^\W_]+")
# "Okafor voted", "Okafor's plan", "Okafor, the mayor," : an opening capitalised word used as a name.
_OPENING_NAME = re.compile(
    r"[\"“‘]?([A-Z][a-z]+)(?:['’]s)?(?:,|\s+(?:[A-Z]|\w+ed\b|said|says|told|is|was|has|had|will|won|lost|led|ran|saw|met|took|made|gave|got|left|became))"
)
# Capitalised openers that are ordinary words, not names.
COMMON_OPENERS = frozenset(
    """officials police residents critics experts analysts researchers
scientists voters workers students teachers parents prosecutors investigators lawmakers leaders
authorities shares prices sales profits revenue enrollment attendance turnout construction work
the a an this that these those it he she they we i its their his her our after before during
while when since although though because if as in on at by for with from of over under about
both each every all some many most several few no one two three four five six seven eight nine
ten""".split()
)


def word_forms(text: str) -> set[str]:
    """Lower-cased words, possessives also without their "'s" ("Tuesday's" holds "tuesday"),
    the parts of "O'Brien" too ("brien"), and the initials of a run of capitalised words
    ("United Nations Security Council" holds "un", "uns" and "unsc": the "UN" of a claim)."""
    text = straight(text)
    words = {w.lower() for w in WORD.findall(text)}
    return (
        words
        | {w[:-2] for w in words if w.endswith("'s")}
        | {part for w in words if "'" in w for part in w.split("'")}
        | initialisms(text)
    )


# Capitalised words in a row, "of", "and", "for" or "the" allowed between them ("Bank of England").
_NAME_RUN = re.compile(r"[A-Z][\w'-]*(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w'-]*)+")
MAX_INITIALS = 6


def initialisms(text: str) -> set[str]:
    """The initials of each run of capitalised words (stop words such as an opening "The" left
    out) and of its openings of two words or more: what an acronym of it would spell ("United
    Nations Security Council": un, uns, unsc)."""
    found = set()
    for run in _NAME_RUN.findall(text):
        initials = [w[0].lower() for w in run.split() if w.lower() not in STOPWORDS]
        for size in range(2, min(len(initials), MAX_INITIALS) + 1):
            found.add("".join(initials[:size]))
    return found


def names(text: str) -> set[str]:
    """Capitalised words: names. The opening word counts too when the next is capitalised as
    well ("Ruth Okafor said") or it is a surname-like word a news sentence opens with before a
    verb ("Okafor voted"): a subject is where a swapped name most often stands."""
    text = text.strip()
    names = {
        m.group(0).lower()
        for m in _CAPITALIZED.finditer(text)
        if m.group(0)[0].isupper()
        and not opens_sentence(text, m.start())
        and m.group(0).lower() not in STOPWORDS
    }
    opening = _OPENING_NAME.match(text)
    if opening and opening.group(1).lower() not in STOPWORDS | COMMON_OPENERS:
        names.add(opening.group(1).lower())
    return names
