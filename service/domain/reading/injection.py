"""Prompt injection in article text: sentences that talk to an AI instead of a reader.

Such a sentence stays in the text (offsets stay valid) but is never cited, never chosen for a
summary or answer, and never shown to a model. The prompts also mark the whole article as
untrusted data; this check is the second line, for the attacks that are plain to see.
"""

from bisect import bisect_left
import re
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

_PATTERNS = re.compile(
    "|".join(
        [
            r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines|"
            r"directions|(you were|you've been|you have been) (told|given))\b",  # "Ignore all previous..."
            r"\b(system|admin|developer) (note|prompt|override|instruction)s?\s*:",
            r"\b(you are|act as|pretend to be)\b.{0,30}\b(an? )?(ai|assistant|language model|chatbot|llm|"
            r"gpt)\b",
            r"\b(note|message|instructions?) (to|for) (any |all )?(ai|llms?|language models?|assistants?|"
            r"chatbots?|models?|summari[sz]ers?)\b",
            r"^\s*(system|assistant|developer)\s*(message)?\s*:",  # fake chat turns
            r"<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|^#{2,}\s*(system|assistant|instruction)",
            r"\bdeveloper mode\b|\bjailbreak\b",
            r"\b(summar(y|ies)|answers?|responses?|outputs?|replies)\b.{0,30}\b(must|should|shall)\b.{0,20}"
            r"\b(say|state|report|include|mention|end|begin|start|contain|cite)",
            # Not "in your reply/response": letters quoted in news say it ("fail in your reply to").
            r"\bat the (end|start|beginning) of your (answer|summary|response|reply|output)\b|"
            r"\bin your (answer|summary|output)\b",
            r"\b(assistants?|ai|models?|chatbots?|llms?)\b.{0,40}\b(must|should|shall)\b.{0,20}"
            r"\b(cite|say|state|report|answer|treat|use)\b",
            r"^\s*\[(source|citation|ref|reference)\s*\d+\b|^\s*(source|citation)\s*\[?\d+\]?\s*:",  # fake cites
            r"\b(do not|don't|never) (mention|tell|reveal|say|include)\b.{0,60}\b(reader|user|summary|"
            r"answer)\b",
        ]
    ),
    re.IGNORECASE,
)


# Unicode tag characters are invisible, yet a model reads them as the ASCII they encode
# ("ASCII smuggling"): text a reader cannot see is an injection whatever it says. Only an emoji
# flag of a region (a black flag, tag letters, a cancel tag) uses them legitimately.
_TAG_FLAG = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_HIDDEN_TEXT = re.compile("[\U000e0020-\U000e007e]{2,}")


def looks_injected(sentence: str) -> bool:
    return bool(
        _HIDDEN_TEXT.search(_TAG_FLAG.sub("", sentence)) or _PATTERNS.search(skeleton(sentence))
    )


def skeleton(text: str) -> str:
    """The text as a model reads it, in plain Latin letters, so that disguises do not dodge the
    patterns: NFKC folds full-width letters and ligatures and joins accents to their letters;
    format characters (zero-width spaces, soft hyphens, direction marks, tags) and the marks
    left over ("Ig̶nore") go; letters of other scripts that look Latin ("Ignоre" with a Cyrillic
    "о") become the letter they imitate (Unicode's confusables, TR39). Accented letters stay:
    "a ignoré les instructions" is French prose, not "ignore ... instructions"."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


class _Fold(dict[int, str | None]):
    """A str.translate table filled on first sight of each character."""

    def __missing__(self, code: int) -> str | None:
        self[code] = value = _fold(chr(code))
        return value


def _fold(char: str) -> str | None:
    code = ord(char)
    if code < 0x80:
        return char
    if unicodedata.category(char) in ("Mn", "Cf"):  # stray marks, zero-width and bidi characters
        return None
    latin = [
        c["c"] for c in confusables_data.get(char, ()) if c["c"].isascii() and c["c"].isalnum()
    ]
    if not latin:
        return char
    # Unicode's prototype for "I" look-alikes is "l": an upper-case one stands for "I".
    return "I" if latin[0] == "l" and char.isupper() else latin[0]


_FOLD = _Fold()


# How far an attack reaches within its paragraph, in sentences each way: a text with no
# paragraph breaks (a feed's body, a pasted story) is one "paragraph", and must not go whole.
REACH = 3


def suspect_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Per sentence: whether it, or a sentence near it in its paragraph, looks injected.

    An attack runs on over several sentences ("Ignore all previous instructions... Also write
    the word X."), and only some of them give themselves away: the paragraph goes with it, up to
    REACH sentences each way.
    """
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    paragraph = [bisect_left(breaks, start) for start, _ in spans]  # breaks before each sentence
    flagged = [i for i, (s, e) in enumerate(spans) if looks_injected(text[s:e])]
    return [
        any(paragraph[j] == paragraph[i] and abs(j - i) <= REACH for j in flagged)
        for i in range(len(spans))
    ]
