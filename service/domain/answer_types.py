"""Expected answer types: a question asking "how many" is answered only by a sentence holding a
number it did not already say, "who" by a name, "when" by a date or time.

A classic check of rule-based question answering (e.g. Hovy et al. 2001, "Question answering in
Webclopedia"); here it lets the extractive engine abstain on near misses, where the article talks
about the subject but never gives the fact asked for.
"""

import re

NUMBER, MONEY, DURATION, AGE, DATE, NAME, ANY = (
    "number", "money", "duration", "age", "date", "name", "any")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec", "january", "february", "march", "april", "june", "july", "august", "september",
           "october", "november", "december")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                 "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
                 "eighty ninety hundred thousand million billion dozen half quarter").split()
_RULES = [  # first match wins
    (re.compile(r"^how much (money|did .* (cost|pay|raise|spend|demand|charge)|would .* cost|"
                r"does .* cost|is .* worth|was .* (bond|bail|fine|penalty))|"
                r"\b(what|which) (price|cost|amount of money|fine|penalty|salary|budget)\b|"
                r"\bhow much .*\b(cost|costs|pay|paid|raise|raised|spend|spent|worth|owe|charge|"
                r"bond|bail|fine|penalty|money|funding|budget)\b"), MONEY),
    (re.compile(r"^how long\b|\bfor how long\b|\bwhat (prison |jail )?(sentence|term)\b"),
     DURATION),
    (re.compile(r"^how old\b|\bwhat age\b"), AGE),
    (re.compile(r"^(how (much|many|long|old|far|big|large|tall|often|fast|high|deep))\b|"
                r"^(what|which) (was |is |were |are )?(the )?(\w+ )?(percent|percentage|score|amount|"
                r"number|price|cost|age|size|temperature|margin|total|sum|rate|count|tally)\b"),
     NUMBER),
    (re.compile(r"^when\b|\b(what|which) (date|day|year|month|time|week)\b|\bwhat time\b"), DATE),
    (re.compile(r"^(who|whom|whose)\b|\b(what|which) (is|was) (the|his|her|their|its) name\b|"
                r"\bname of\b|^(which|what) (company|firm|group|team|school|hospital|agency|"
                r"organization|organisation|orchestra|utility|contractor|person|official|city|town|"
                r"county|state|country|university|lakes?|schools?|companies|firms)\b"), NAME),
]
_NUMBER = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}(:\d\d)?\s*(a\.m\.|p\.m\.|am|pm)|\b\d{4}\b|\b(today|yesterday|tomorrow|"
                   r"ago|last|next|this) (week|month|year|spring|summer|fall|autumn|winter)\b|"
                   r"\b(spring|summer|fall|autumn|winter|noon|midnight|morning|evening|night)\b|"
                   r"\b(" + "|".join(_MONTHS + _DAYS) + r")\b", re.IGNORECASE)
_CAPITALIZED = re.compile(r"(?<![.!?]\s)(?<!^)(?<![\"“‘'(])\b[A-Z][a-zA-Z'’.-]+")


def expected_type(question: str) -> str:
    text = " ".join(question.lower().split())
    return next((kind for rule, kind in _RULES if rule.search(text)), ANY)


_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s*(dollars|cents|euros|pounds)\b", re.IGNORECASE)
_DURATION = re.compile(r"\b(\d[\d,.]*|" + "|".join(_NUMBER_WORDS) + r"|a|an|several|few)[\s-]+"
                       r"(years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(y|ies))\b"
                       r"|\bsince\b", re.IGNORECASE)
_AGE = re.compile(r",\s*\d{1,3},|\b\d{1,3}[\s-]+years?[\s-]+old\b|\bage(d)?\s+\d{1,3}\b|"
                  r"\bat\s+\d{1,3}\b", re.IGNORECASE)


def gives(sentence: str, kind: str, question: str) -> bool:
    """Whether `sentence` holds an answer of `kind` that the question does not already hold."""
    pattern = {MONEY: _MONEY, DURATION: _DURATION, AGE: _AGE}.get(kind)
    if pattern is not None:
        return bool(_new_words(sentence, question, lambda t: {m.group(0).lower() for m in pattern.finditer(t)}))
    if kind == NUMBER:
        return bool(_new_words(sentence, question, _numbers))
    if kind == DATE:
        return bool(_new_words(sentence, question, lambda t: {m.group(0).lower() for m in _TIME.finditer(t)}))
    if kind == NAME:
        return bool(_new_words(sentence, question, _names))
    return True


def _new_words(sentence: str, question: str, find) -> set[str]:
    return find(sentence) - find(question)


def _numbers(text: str) -> set[str]:
    words = {w.lower().strip(".,;:") for w in text.split()}
    return {w for w in words if _NUMBER.search(w) or w in _NUMBER_WORDS}


def _names(text: str) -> set[str]:
    found = {m.group(0).lower().rstrip(".") for m in _CAPITALIZED.finditer(text)}
    return {n for n in found if n not in _MONTHS and n not in _DAYS}
