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
    and the parts of "O'Brien" too ("brien")."""
    words = {w.lower() for w in WORD.findall(straight(text))}
    return (
        words
        | {w[:-2] for w in words if w.endswith("'s")}
        | {part for w in words if "'" in w for part in w.split("'")}
    )


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
