"""Expected answer types: a question asking "how many" is answered only by a sentence holding a
number it did not already say, "who" by a name, "when" by a date or time.

A classic check of rule-based question answering (e.g. Hovy et al. 2001, "Question answering in
Webclopedia"); here it lets the extractive engine abstain on near misses, where the article talks
about the subject but never gives the fact asked for. Two such misses a type alone lets through:

- a "which" question has a focus, the words naming what is asked for ("engineering firm"); a
  sentence that holds them only in an indefinite phrase ("hired an engineering firm", "two
  elementary schools") says the thing exists without saying which it is;
- "how many points" is answered by a number counting points ("eight of the 10 points"), not by
  any number near the player's name ("forced two turnovers").
"""

from collections.abc import Callable
from itertools import takewhile
import re

from ..words import STOPWORDS, stem

NUMBER, MONEY, DURATION, AGE, DATE, NAME, PLACE, PHONE, REASON, ANY = (
    "number",
    "money",
    "duration",
    "age",
    "date",
    "name",
    "place",
    "phone",
    "reason",
    "any",
)

_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion dozen half quarter"
).split()
# Nouns whose instances have proper names: "which firm" asks for a name, "which charges" not.
_NAMED_CLASSES = """person people official officials player players coach lawyer attorney judge
analyst scientist researcher economist expert spokesman spokeswoman spokesperson executive
director manager officer member members leader candidate mayor governor senator president
chairman founder owner reporter author writer artist singer actor teacher doctor reserve guard
forward athlete victim suspect witness aunt uncle cousin mother father son daughter wife husband
brother sister family nun priest pastor company companies firm firms group groups team teams club
school schools college university hospital agency department organization organisation orchestra
band utility utilities contractor bank fund investor investors charity nonprofit church party
committee union court newspaper network airline retailer manufacturer startup cooperative
laboratory institute museum library city town village county state country nation province region
street river lake lakes park island airport stadium arena venue building film movie comedy drama
book novel song album play show journal magazine app product brand""".split()
_MODIFIER = r"(?!(?:" + "|".join(sorted(STOPWORDS)) + r")\b)[\w'’-]+ "  # not "did", "the", ...
_WHICH_NAMED = (
    r"(?:^|\band |[,;] )(?:which|what) (?:"
    + _MODIFIER
    + r"){0,3}(?:"
    + "|".join(_NAMED_CLASSES)
    + r")\b"
)
_RULES = [
    (re.compile(rule), kind)
    for rule, kind in [  # first match wins
        (r"\b(phone|telephone|hotline) numbers?\b", PHONE),
        (
            r"^how much (money|did .* (cost|pay|raise|spend|demand|charge|earn|lose|save|receive|owe)|"
            r"would .* cost|does .* cost|is .* worth|was .* (bond|bail|fine|penalty))|"
            r"\b(what|which) (price|cost|amount of money|fine|penalty|salary|budget)\b|"
            r"^what (is|was|are|were|will be|would be) (the |a |an )?([\w'’-]+ ){0,3}(salary|salaries|"
            r"wages?|fees?|prices?|costs?|budget|fine|penalty|bail)\b|"
            r"^what (did|does|will|would) .* cost\b|\b(valued|priced) at\b|"
            r"\bhow much .*\b(cost|costs|pay|paid|raise|raised|spend|spent|worth|owe|charge|"
            r"bond|bail|fine|penalty|money|funding|budget)\b",
            MONEY,
        ),
        (
            r"^how (long|quickly|soon)\b|\bfor how long\b|\bwhat (prison |jail )?(sentence|term)\b",
            DURATION,
        ),
        (r"^how old\b|\bwhat age\b", AGE),
        (
            r"^(how (much|many|far|big|large|tall|fast|high|deep|close|wide|heavy))\b|"
            r"^(what|which) (was |is |were |are )?(the )?([\w'’]+ )?(percent|percentage|share|"
            r"proportion|score|amount|number|price|cost|age|size|temperature|margin|total|sum|rate|"
            r"count|tally|turnout|vote|population|attendance)\b",
            NUMBER,
        ),
        (r"^when\b|\b(what|which) (date|day|year|month|time|week|hours?)\b|\bwhat time\b", DATE),
        (
            r"^(who|whom|whose)\b|\b(what|which) (is|was) (the|his|her|their|its) name\b|"
            r"\bname of\b|(^|\band |[,;] )(who|whom)\b|" + _WHICH_NAMED,
            NAME,
        ),
        (r"^why\b|^what (prompted|caused|led|drove|motivated)\b", REASON),
        (r"(^|\band |[,;] )where\b", PLACE),
    ]
]


def expected_type(question: str) -> str:
    text = " ".join(question.lower().split())
    return next((kind for rule, kind in _RULES if rule.search(text)), ANY)


_PHRASE = r" (?:(?:the|his|her|their|its|a|an) )?((?:[\w'’-]+ ?){1,4})"
# "name of" first: the "what" of "what is the name of the aunt" is not the focus phrase.
_FOCUS_PHRASES = [
    re.compile(r"\b(name of)" + _PHRASE),
    re.compile(r"(?:^|\band |[,;] )(who (?:is|was|were|are)|which|what)" + _PHRASE),
]
_INDEFINITE = frozenset(
    "a an one two three four five six seven eight nine ten several some other "
    "another unnamed unidentified undisclosed".split()
)
_PHRASE_END = STOPWORDS - _INDEFINITE  # "which three other lakes" runs on past "other"


def focus(question: str) -> list[str]:
    """The words naming what is asked for: "firm" in "What is the name of the firm ...?",
    "engineering", "firm" in "Which engineering firm did ...?"; none for other questions."""
    text = " ".join(question.lower().split())
    match = next((m for phrase in _FOCUS_PHRASES if (m := phrase.search(text))), None)
    if match is None:
        return []
    if expected_type(text) == NAME:  # the named class, not its modifiers ("defense lawyer")
        words = list(takewhile(lambda w: w not in STOPWORDS, match.group(2).split()))
        return [w for w in words if w in _NAMED_CLASSES][-1:]
    if match.group(1) != "which":
        return []
    words = list(takewhile(lambda w: w not in _PHRASE_END, match.group(2).split()))[:3]
    return [w for w in words if w not in STOPWORDS and w not in _INDEFINITE]


_HOW_MANY = re.compile(r"\bhow many (?:of (?:the |their |its |his |her )?)?((?:[\w'’-]+ ?){1,3})")


def counted(question: str) -> str | None:
    """The noun a "how many" question counts: "points" in "How many points did she score?"."""
    if not (match := _HOW_MANY.search(question.lower())):
        return None
    words = list(takewhile(lambda w: w not in STOPWORDS, match.group(1).split()))
    plural = [w for w in words if w.endswith("s")]  # "how many" takes a plural; a verb may follow
    return plural[-1] if plural else (words[0] if words else None)


def gives(sentence: str, kind: str, question: str) -> bool:
    """Whether `sentence` holds an answer of `kind` that the question does not already hold (and
    does not only mention what is asked for without saying which it is)."""
    if any(_unnamed(sentence, word) for word in focus(question)):
        return False
    if kind == NAME:
        return bool(_new(sentence, question, _names))
    if kind == PLACE:
        return bool(_new(sentence, question, _names) or _LOCATIVE.search(sentence))
    if kind == NUMBER:
        return bool(_new(sentence, question, _numbers)) and _counts(sentence, counted(question))
    pattern = _PATTERNS.get(kind)
    return pattern is None or bool(_new(sentence, question, lambda t: _matches(pattern, t)))


_NUMBER = re.compile(r"\d")
_TIME = re.compile(
    r"\b\d{1,2}(:\d\d)?\s*(a\.m\.|p\.m\.|am|pm)|\b\d{4}\b|\b(today|yesterday|tomorrow|"
    r"ago|last|next|this) (week|month|year|spring|summer|fall|autumn|winter)\b|"
    r"\b(spring|summer|fall|autumn|winter|noon|midnight|morning|evening|night)\b|"
    r"\b(?-i:" + "|".join(w.capitalize() for w in _MONTHS + _DAYS) + r")\b",
    re.IGNORECASE,
)  # months capitalized: "may" the verb is no date
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)(?<![\"“‘'(])\b[A-Z][a-zA-Z'’.-]+")
_POSSESSIVE = re.compile(r"['’]s\b")
# "AVERY, Texas — ": where the story was filed, not a name the story gives.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,(?: [A-Z][\w.]*)*,? (?:\w+\. \d+, \d{4} )?[—–-]+ ")
_LOCATIVE = re.compile(
    r"\b(at|in|on|from|near|outside|inside|behind|under|along|across|into|"
    r"against) (the |a |an |its |their )?[a-z]+"
)
_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s*(dollars|cents|euros|pounds)\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r"|a|an|several|few)[\s-]+"
    r"(years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|"
    r"centur(y|ies)|semesters?|seasons?)\b|\bsince\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    r",\s*\d{1,3},|\b\d{1,3}[\s-]+years?[\s-]+old\b|\bage(d)?\s+\d{1,3}\b|"
    r"\bat\s+\d{1,3}\b|\b(was|is|turned)\s+\d{1,3}\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3}[-.]\d{4}\b|\b1-8\d\d-[\dA-Z]{3}-[\dA-Z]{4}\b")
_REASON = re.compile(
    r"\b(because|since|due to|owing to|citing|cited|after|amid|so that|"
    r"in order to|reasons?|caused|prompted|led to|frustrated|concerned|worried|"
    r"thanks to|as a result)\b",
    re.IGNORECASE,
)
_PATTERNS = {
    MONEY: _MONEY,
    DURATION: _DURATION,
    AGE: _AGE,
    DATE: _TIME,
    PHONE: _PHONE,
    REASON: _REASON,
}


def _new(sentence: str, question: str, find: Callable[[str], set[str]]) -> set[str]:
    return find(sentence) - find(question)


def _matches(pattern: re.Pattern[str], text: str) -> set[str]:
    return {m.group(0).lower() for m in pattern.finditer(text)}


def _numbers(text: str) -> set[str]:
    words = {w.lower().strip(".,;:") for w in text.split()}
    return {w for w in words if _NUMBER.search(w) or w in _NUMBER_WORDS}


def _names(text: str) -> set[str]:
    text = _DATELINE.sub("", _POSSESSIVE.sub("", text))
    found = {m.group(0).lower().rstrip(".") for m in _CAPITALIZED.finditer(text)}
    return {n for n in found if n not in _MONTHS and n not in _DAYS}


_TOKEN = re.compile(r"[\w'’&-]+|[^\w\s]")
_CALLED = frozenset(("called", "calling", "named", "dubbed"))


def _unnamed(sentence: str, noun: str) -> bool:
    """`noun` stands in an indefinite phrase with nothing beside it saying which one ("an
    engineering firm"; not "a company called Ridgeline", nor "Marsh, a transportation analyst")."""
    tokens = _TOKEN.findall(sentence)
    target = stem(noun)
    return any(
        stem(t.lower()) == target and _indefinite_at(tokens, i) for i, t in enumerate(tokens)
    )


def _indefinite_at(tokens: list[str], noun: int) -> bool:
    start = next(
        (
            j
            for j in range(noun - 1, max(noun - 5, -1), -1)  # at most four words back
            if tokens[j].lower() in _INDEFINITE
        ),
        None,
    )
    if start is None or not all(
        t[0].isalnum() and t.lower() not in _PHRASE_END for t in tokens[start + 1 : noun]
    ):
        return False
    apposed = tokens[start - 1 : start] == [","]  # "Marsh, a transportation analyst"
    return not (apposed or _named_after(tokens[noun + 1 : noun + 3]))


def _named_after(after: list[str]) -> bool:
    """ "a company called Ridgeline", "a consulting firm, Ridgeline" """
    if not after:
        return False
    return after[0].lower() in _CALLED or (
        after[0] == "," and len(after) > 1 and after[1][0].isupper()
    )


def _counts(sentence: str, noun: str | None) -> bool:
    """A number stands at most four words before the counted noun ("12 rebounds", "1,150-seat")."""
    if noun is None:
        return True
    tokens = [t.lower() for t in _TOKEN.findall(sentence)]
    target = stem(noun)
    spots = [i for i, t in enumerate(tokens) if target in (stem(t), stem(t.split("-")[-1]))]
    return any(
        _NUMBER.search(t) or t in _NUMBER_WORDS
        for i in spots
        for t in tokens[max(i - 4, 0) : i + 1]
    )
