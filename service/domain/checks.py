"""Checks that word overlap misses, one small function each. Each takes a claim and the text
cited for it, and returns the reasons it finds the claim unsupported (empty: it does not fire).

They veto: a claim whose words are all in the source but whose number, name, polarity,
certainty, causal link or speaker differs is not supported. verify.py combines them.
"""

import re

from nltk.stem.porter import PorterStemmer

from .segment import split_sentences

_STEM = PorterStemmer()

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SPEECH_VERB = re.compile(r"\b(said|says|told|added|argued|warned|noted|wrote|stated|announced|"
                          r"according to)\b")
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|,\s+(?:and|but|while|whereas)\s+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NEGATIONS = {"not", "no", "never", "none", "neither", "nor", "without", "cannot"}
HEDGES = re.compile(r"\b(may|might|could|should|possibly|perhaps|probably|likely|unlikely|"
                    r"potentially|(expected|plans?|planning|planned|hopes?|hoping|aims?|seeks?|"
                    r"intends?|proposes?|wants?) to|considering|if)\b", re.IGNORECASE)
CAUSAL = re.compile(r"\b(because|due to|as a result|caused|causes|causing|led to|leads to|"
                    r"leading to|thanks to|therefore|in response to|so that|result of|blamed)\b",
                    re.IGNORECASE)
_SPEECH = r"(?:said|says|told|added|argued|warned|noted|wrote|stated|announced)"
_NAME = r"[A-Z][a-z][a-zA-Z'’-]*"
# "Okafor said", "said Ruth Okafor." / "said Okafor,", "according to Okafor"
_SPEAKER = re.compile(rf"\b({_NAME})\s+{_SPEECH}\b|\b{_SPEECH}\s+(?:{_NAME}\s+){{0,2}}({_NAME})\s*[,.]|"
                      rf"\baccording to (?:the\s+)?(?:{_NAME}\s+){{0,2}}({_NAME})")
_NOT_SPEAKERS = {"The", "A", "An", "He", "She", "They", "It", "Dr", "Mr", "Mrs", "Ms", "Gen"}
# Opposites, compared on Porter stems so that inflections follow ("raises"/"lowered").
ANTONYMS = """rise:fall rose:fell risen:fallen rise:drop rose:dropped increase:decrease gain:loss
gain:lose win:lose won:lost approve:reject open:close raise:lower raise:cut high:low higher:lower
highest:lowest more:fewer more:less most:least above:below expand:shrink expand:cut grow:shrink
grew:shrank hire:fire hire:lay accept:decline support:oppose allow:ban allow:forbid first:last
before:after earlier:later early:late acquit:convict guilty:innocent profit:loss up:down
strong:weak stronger:weaker large:small larger:smaller largest:smallest big:small bigger:smaller
long:short longer:shorter extend:shorten lengthen:shorten warm:cool warmer:cooler hot:cold
dry:wet drier:wetter wetter:drier add:remove pass:fail success:failure growth:decline
cheap:expensive cheaper:costlier ahead:behind over:under double:halve new:old newer:older
full:empty rich:poor safe:dangerous legal:illegal public:private join:leave enter:exit
buy:sell bought:sold import:export north:south east:west agree:disagree true:false include:exclude
majority:minority maximum:minimum increase:cut start:end begin:end""".split()
_OPPOSITE: dict[str, set[str]] = {}
for _pair in ANTONYMS:
    _a, _b = (_STEM.stem(w) for w in _pair.split(":"))
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)


def words(text: str) -> set[str]:
    return {w.lower().replace("’", "'") for w in _WORD.findall(text)}


def numbers(text: str) -> set[str]:
    """Numbers as digits: "2", "two" and "2.0" are one; thousands separators dropped."""
    found = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    found = {n[:-2] if n.endswith(".0") else n for n in found}
    return found | {NUMBER_WORDS[w] for w in words(text) if w in NUMBER_WORDS}


def number_mismatch(claim: str, evidence: str) -> list[str]:
    return [f'"{n}" is not in the cited text' for n in sorted(numbers(claim) - numbers(evidence))]


def aligned_clause(claim: str, evidence: str) -> str:
    """The clause of the evidence sharing most words with the claim: polarity and certainty are
    read there, not in unrelated clauses that happen to be cited alongside."""
    claimed = words(claim)
    return max(clauses(evidence), key=lambda c: len(words(c) & claimed))


def negation_flip(claim: str, evidence: str) -> list[str]:
    """Clause by clause: a claim clause and the source clause it rests on agree in polarity."""
    for part in clauses(claim):
        said, source = _negated(part), _negated(aligned_clause(part, evidence))
        if said != source:
            return ["the claim negates what the source says" if said else
                    "the source negates what the claim says"]
    return []


def _negated(text: str) -> bool:
    return bool(words(text) & NEGATIONS) or "n't" in text.lower()


def clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if c.strip()] or [text]


def antonym_flip(claim: str, evidence: str) -> list[str]:
    reasons = []
    for part in clauses(claim):
        claimed, cited = _stems(part), _stems(aligned_clause(part, evidence))
        reasons += [f'"{w}" where the source says the opposite ("{sorted(_OPPOSITE[w] & cited)[0]}")'
                    for w in sorted(claimed - cited) if _OPPOSITE.get(w, set()) & cited - claimed]
    return reasons


def _stems(text: str) -> set[str]:
    return {_STEM.stem(w) for w in words(text)}


def modality_shift(claim: str, evidence: str) -> list[str]:
    for part in clauses(claim):
        claimed, cited = HEDGES.search(part), HEDGES.search(aligned_clause(part, evidence))
        if cited and not claimed:
            return [f'the source hedges ("{cited.group(0)}"); the claim states it as certain']
        if claimed and not cited:
            return [f'the claim hedges ("{claimed.group(0)}") what the source states as certain']
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
            all(part in named for part in speaker.split("-")) for speaker in claimed):
        return []
    return [f"the claim has {sorted(claimed)[0]} say it; the source sentence does not"]


def aligned_sentence(claim: str, evidence: str) -> str:
    claimed = words(claim)
    sentences = [evidence[s:e] for s, e in split_sentences(evidence)] or [evidence]
    return max(sentences, key=lambda s: len(words(s) & claimed))


def words_cased(text: str) -> set[str]:
    return {w.replace("’", "'").removesuffix("'s") for w in _WORD.findall(text)}


def speakers(text: str) -> set[str]:
    found = {next(g for g in m.groups() if g) for m in _SPEAKER.finditer(text)}
    return {name.replace("’", "'").removesuffix("'s") for name in found} - _NOT_SPEAKERS


CHECKS = (number_mismatch, negation_flip, antonym_flip, modality_shift, unsupported_link,
          attribution_mismatch)
