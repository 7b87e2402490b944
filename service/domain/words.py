"""Words, one way for the whole domain: what counts as a word (letters of any script), which
words carry no content, and their Porter stems (so "voted" and "votes" meet)."""

from functools import lru_cache
import re

from nltk.stem.porter import PorterStemmer

_LETTERS = r"[^\W\d_]+"  # letters of any script: "Zürich", "Ñuñoa", "Αθήνα"
LETTERS = re.compile(_LETTERS)
# A word of letters, with an inner apostrophe ("O'Brien", "don't").
LETTER_WORD = re.compile(rf"{_LETTERS}(?:'{_LETTERS})?")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # "7", "7,020", "18.4"
WORD = re.compile(f"{LETTER_WORD.pattern}|{NUMBER.pattern}")
STOPWORDS = frozenset(
    """a an the and or but if of at by for with about between into through
during before after above below to from up down in out on off over under again further then once
here there when where why how all any both each few more most other some such no nor not only own
same so than too very can will just should now is are was were be been being have has had having do
does did doing he she it they them their his her its we us our you your i me my this that these
those who whom which what said says say also would could may might must shall as""".split()
)
_STEMMER = PorterStemmer()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter stem, cached: the verifier and retrieval stem the same few thousand words all day."""
    stemmed: str = _STEMMER.stem(word)
    return stemmed


def straight(text: str) -> str:
    """Curly apostrophes made straight, so "Okafor’s" and "Okafor's" are one word."""
    return text.replace("’", "'")


def content_words(text: str) -> list[str]:
    """Porter stems of the words that carry content, in order, repeats kept."""
    return [stem(w.lower()) for w in WORD.findall(text) if w.lower() not in STOPWORDS]


def content_stems(text: str) -> set[str]:
    return set(content_words(text))


def letter_words(text: str) -> list[str]:
    """The words of letters, as written (numbers left out), apostrophes made straight."""
    return LETTER_WORD.findall(straight(text))


def lower_words(text: str) -> set[str]:
    return {w.lower() for w in letter_words(text)}


def stems(text: str) -> set[str]:
    """Porter stems of every word of letters, function words too (unlike content_stems)."""
    return {stem(w) for w in lower_words(text)}


# Retrieval compares words as readers do: "Lang's" is "Lang", "bought" is "buy" (Porter
# stemming alone keeps possessives and irregular verb forms apart).
_POSSESSIVE = re.compile(r"'s\b")
# Past forms that stemming leaves apart from their base; forms that are as often another word
# ("ground", "wound", "bound", "lay" for "lie") are left out.
_IRREGULAR = """arise:arose,arisen awake:awoke,awoken bear:bore,borne beat:beaten become:became
begin:began,begun bend:bent bite:bit,bitten bleed:bled blow:blew,blown
break:broke,broken breed:bred bring:brought build:built burn:burnt buy:bought catch:caught
choose:chose,chosen come:came creep:crept deal:dealt dig:dug draw:drew,drawn
dream:dreamt drink:drank,drunk drive:drove,driven eat:ate,eaten fall:fell,fallen feed:fed
feel:felt fight:fought find:found flee:fled fly:flew,flown forbid:forbade,forbidden
forget:forgot,forgotten forgive:forgave,forgiven freeze:froze,frozen get:got,gotten
give:gave,given go:went,gone grow:grew,grown hang:hung hear:heard hide:hid,hidden
hold:held keep:kept know:knew,known lay:laid lead:led leave:left lend:lent
light:lit lose:lost make:made mean:meant meet:met pay:paid prove:proven
ride:rode,ridden ring:rang,rung rise:rose,risen run:ran seek:sought sell:sold
send:sent shake:shook,shaken shine:shone shoot:shot show:shown shrink:shrank,shrunk
sing:sang,sung sink:sank,sunk sit:sat sleep:slept slide:slid speak:spoke,spoken
spend:spent spin:spun spring:sprang,sprung stand:stood steal:stole,stolen
stick:stuck sting:stung strike:struck swear:swore,sworn sweep:swept swim:swam,swum swing:swung
take:took,taken teach:taught tear:tore,torn tell:told think:thought throw:threw,thrown
understand:understood wake:woke,woken wear:wore,worn weep:wept win:won
withdraw:withdrew,withdrawn write:wrote,written"""
_BASE_FORM = {
    form: pair.split(":")[0]
    for pair in _IRREGULAR.split()
    for form in pair.split(":")[1].split(",")
}


def reader_words(text: str) -> list[str]:
    """content_words as a reader compares them (retrieval's): a possessive is its noun and an
    irregular verb form its base, so "Lang's" meets "Lang" and "bought" meets "buy"."""
    found = (w.lower() for w in WORD.findall(_POSSESSIVE.sub("", straight(text))))
    return [stem(_BASE_FORM.get(w, w)) for w in found if w not in STOPWORDS]
