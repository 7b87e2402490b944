"""Page furniture: navigation, sharing, ads and credits that scraped news pages carry.

Such lines are kept in the article text (their spans stay valid) but must never be
cited as a summary or answer sentence.
"""

import re

# Real sentences that mention these words are longer than the furniture itself.
_MAX_WORDS = 10
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
# A date or time and nothing else: numbers, months, days, clock words, zones, "3 hours ago".
_WHEN_WORD = (
    rf"(?:\d[\d:/.-]*(?:st|nd|rd|th)?|{_MONTH}|{_DAY}|a\.m|p\.m|am|pm|noon|midnight|"
    r"et|edt|est|ct|cdt|cst|pt|pdt|pst|gmt|utc|bst|cet|cest|yesterday|today|just now|ago|"
    r"at|on|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\.?"
)
_WHEN = rf"{_WHEN_WORD}(?:,?\s+{_WHEN_WORD})*,?"

# Whole-line patterns that are furniture only on a short line.
_SHORT_LINE = re.compile(
    "|".join(
        [
            r"accessibility links",  # screen-reader navigation
            r"skip to (?:main )?(?:content|navigation)",  # screen-reader navigation
            r"(?:breaking news|top stories|most (?:read|popular|viewed|shared))",  # section banners
            r"share(?: this (?:article|story|page))?(?: (?:on|via) [\w ]+)?",  # share buttons
            r"advertisement|sponsored content",  # ad slots
            r"read more|related (?:topics|stories|articles|content)|more on this story",  # links out
            r"(?:sign up|subscribe)(?: now| today)?(?: (?:for|to) [\w' ]*newsletters?)?",  # newsletter boxes
            r"follow us(?: on [\w ,&]+)?",  # social links
            r"image caption|image source,? [\w ,.&/-]+|media caption",  # picture and video credits
            r"media playback is unsupported on your device",  # BBC video placeholder
            # timestamps: the word, then only a date or time ("Updated 12 March 2024, 9:30 a.m. ET"),
            # never a sentence ("Updated guidance was ...", "Updated 2024 figures show ...")
            rf"(?:published|updated|last updated|posted)(?::| on| at)? {_WHEN}",
            r"listen to this article(?: \d+ min(?:ute)?s?)?",  # audio player
            r"(?:\d+ )?comments?(?: \(\d+\))?",  # comment widget
        ]
    )
)

# Label prefixes and rights notices that are furniture at any length.
_ANY_LENGTH = re.compile(
    "|".join(
        [
            r"(?:copyright\s*(?:©|\(c\))?\s*\d{4}|©|\(c\)\s*\d{4}).*",  # "Copyright 2026 ...", "© 2026 ..."
            r".*\ball rights reserved",  # rights notice, often after the copyright holder
            r"(?:read more|watch|listen|related|see also):.*",  # teaser link: label, colon, headline
        ]
    )
)

# Trailing decoration that furniture lines often carry: punctuation, arrows, dashes.
_TRAILING = ".!?:;,…|»›>-–— "


def is_furniture(sentence: str) -> bool:
    """Whether `sentence` is page furniture rather than article prose."""
    line = " ".join(sentence.split()).lower().rstrip(_TRAILING)
    if _ANY_LENGTH.fullmatch(line):
        return True
    return len(line.split()) <= _MAX_WORDS and bool(_SHORT_LINE.fullmatch(line))
