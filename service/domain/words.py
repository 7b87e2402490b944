"""Words, one way for the whole domain: what counts as a word, which words carry no content,
and their Porter stems (so "voted" and "votes" meet)."""

from functools import lru_cache
import re

from nltk.stem.porter import PorterStemmer

# Letters of any script ("Zürich", "Ñuñoa"), with an inner apostrophe ("O'Brien"), or a number.
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+(?:[.,]\d+)*")
STOPWORDS = frozenset("""a an the and or but if of at by for with about between into through
during before after above below to from up down in out on off over under again further then once
here there when where why how all any both each few more most other some such no nor not only own
same so than too very can will just should now is are was were be been being have has had having do
does did doing he she it they them their his her its we us our you your i me my this that these
those who whom which what said says say also would could may might must shall as""".split())
_STEMMER = PorterStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _STEMMER.stem(word)


def content_words(text: str) -> list[str]:
    """Porter stems of the words that carry content, in order, repeats kept."""
    return [stem(w.lower()) for w in WORD.findall(text) if w.lower() not in STOPWORDS]


def content_stems(text: str) -> set[str]:
    return set(content_words(text))
