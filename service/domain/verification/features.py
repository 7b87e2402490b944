"""What the learned verifier sees of a claim: alignment with its evidence and with the whole
article, and which checks fired. Numbers, not verdicts: the model (model.py) weighs them.

Signals chosen because they carried over between the sources of real labelled claims (CNN/DM
sentences that copy their article, XSum summaries that paraphrase it): words and names the
article never uses (the mark of an invented fact), how much of the claim is copied in long runs
and from how many places it was stitched together (a splice of two sentences is a classic
summarizer error), and the vetoes' outcomes.
"""

from collections import OrderedDict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
import math
import re
import threading

from ..reading.article import Article
from ..words import WORD, content_stems, stem, straight
from .mentions import names, word_forms
from .vetoes import CHECKS, findings, numbers


@dataclass(frozen=True)
class Source:
    """An article as the features compare against it: its citable sentences, tokenized once."""

    text: str
    tokens: tuple[tuple[str, ...], ...]  # stemmed words of each sentence, in order
    positions: dict[str, list[tuple[int, int]]] = field(repr=False)  # stem -> (sentence, index)
    stems: frozenset[str] = field(repr=False)  # content stems of the whole article
    bigrams: frozenset[tuple[str, str]] = field(repr=False)
    forms: frozenset[str] = field(repr=False)  # word_forms of the whole article


def source_of(sentences: Sequence[str]) -> Source:
    tokens = tuple(_tokens(s) for s in sentences)
    positions: dict[str, list[tuple[int, int]]] = {}
    for i, words in enumerate(tokens):
        for j, word in enumerate(words):
            positions.setdefault(word, []).append((i, j))
    text = " ".join(sentences)
    return Source(
        text=text,
        tokens=tokens,
        positions=positions,
        stems=frozenset(content_stems(text)),
        bigrams=frozenset(b for words in tokens for b in zip(words, words[1:], strict=False)),
        forms=frozenset(word_forms(text)),
    )


def article_source(article: Article) -> Source:
    """The article's citable sentences: what a claim about it may draw on. The last few
    articles' are kept, as a summary's claims all ask about the same article."""
    with _LOCK:
        if (found := _RECENT.get(article.id)) is not None:
            _RECENT.move_to_end(article.id)
            return found
    source = source_of([s.text for s in article.sentences if s.citable])
    with _LOCK:
        _RECENT[article.id] = source
        while len(_RECENT) > RECENT_ARTICLES:
            _RECENT.popitem(last=False)
    return source


RECENT_ARTICLES = 8
_RECENT: OrderedDict[str, Source] = OrderedDict()
_LOCK = threading.Lock()


def claim_features(claim: str, evidence: Sequence[str], source: Source) -> dict[str, float]:
    """The features of one claim sentence against its evidence and its article."""
    cited = " ".join(evidence)
    words = _tokens(claim)
    length = max(len(words), 1)
    stems = content_stems(claim)
    found: dict[str, float] = {
        "overlap": _share(stems, content_stems(cited)),
        "novel_words": len(stems - source.stems) / len(stems) if stems else 0.0,
        "novel_word_count": float(len(stems - source.stems)),
        "content_words": math.log1p(len(stems)),
        "bigrams_in_evidence": _bigram_share(words, _bigrams(_tokens(cited))),
        "bigrams_in_article": _bigram_share(words, source.bigrams),
        "names_not_in_evidence": float(len(names(claim) - word_forms(cited))),
        "names_not_in_article": float(len(names(claim) - source.forms)),
        "numbers_not_in_evidence": float(len(numbers(claim) - numbers(cited))),
        "numbers_not_in_article": float(len(numbers(claim) - numbers(source.text))),
        "lower_case": float(claim == claim.lower()),
    }
    found.update(_stitching(words, source, length))
    found.update(_compression(words, stems, source, length))
    for check in CHECKS:
        found[f"veto_{check.__name__}"] = float(bool(cited and findings(check, claim, cited)))
    return found


def _stitching(words: tuple[str, ...], source: Source, length: int) -> dict[str, float]:
    """Cover the claim left to right with the longest runs copied from article sentences."""
    runs = _runs(words, source)
    copied = [(size, where) for size, where in runs if where is not None]
    long_runs = [where for size, where in copied if size >= 2]
    return {
        "runs_per_word": len(runs) / length,
        "longest_run": max((size for size, _ in copied), default=0) / length,
        "in_runs_of_3": sum(size for size, _ in copied if size >= 3) / length,
        "sentences_stitched": float(len(set(long_runs))),
        "switches": float(sum(a != b for a, b in zip(long_runs, long_runs[1:], strict=False))),
        "words_not_in_article": sum(1 for _, where in runs if where is None) / length,
    }


CANDIDATES = 5  # article sentences a claim sentence is aligned with: those sharing most words
ALIGNED_WORDS = 150  # words of a claim sentence and of an article sentence aligned at most


def _compression(
    words: tuple[str, ...], stems: AbstractSet[str], source: Source, length: int
) -> dict[str, float]:
    """The claim sentence as a compression of one article sentence: the longest common
    subsequence (words kept in order, others dropped) with the best-aligned sentence, in how many
    pieces it was taken and how much of the sentence's span between them was skipped.

    A claim that drops words from one sentence keeps its meaning far more often than one that
    takes its pieces from far apart or from several sentences."""
    best, pieces, span = 0, 0, 0
    head = words[:ALIGNED_WORDS]  # bounded work: a sentence this long is no compression anyway
    for sentence in _best_sentences(stems, source):
        size, taken, width = _subsequence(head, source.tokens[sentence][:ALIGNED_WORDS])
        if size > best:
            best, pieces, span = size, taken, width
    return {
        "lcs_best": best / length,
        "subsequence": float(bool(words) and best == len(words)),
        "pieces": float(pieces),
        "gaps": (span - best) / span if span else 0.0,
    }


def _best_sentences(stems: AbstractSet[str], source: Source) -> list[int]:
    """The CANDIDATES sentences where the claim's content words occur most often."""
    shared: dict[int, int] = {}
    for word in stems:
        for sentence, _ in source.positions.get(word, []):
            shared[sentence] = shared.get(sentence, 0) + 1
    return sorted(shared, key=lambda s: (-shared[s], s))[:CANDIDATES]


def _subsequence(a: Sequence[str], b: Sequence[str]) -> tuple[int, int, int]:
    """(length of the longest common subsequence of a and b, the number of contiguous pieces of
    b it is taken in, the width of b from its first word to its last), for one alignment."""
    n, m = len(a), len(b)
    if not n or not m:
        return 0, 0, 0
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        word, row, below = a[i], table[i], table[i + 1]
        for j in range(m - 1, -1, -1):
            if word == b[j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = below[j] if below[j] >= row[j + 1] else row[j + 1]
    i = j = pieces = 0
    first = last = -1
    previous = (-2, -2)
    while i < n and j < m:
        if a[i] == b[j] and table[i][j] == table[i + 1][j + 1] + 1:
            pieces += previous != (i - 1, j - 1)
            first = j if first < 0 else first
            previous, last = (i, j), j
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return table[0][0], pieces, (last - first + 1) if first >= 0 else 0


def _runs(words: tuple[str, ...], source: Source) -> list[tuple[int, int | None]]:
    """(length, sentence) of each greedy run; a word found nowhere is a run of 1 from None."""
    runs: list[tuple[int, int | None]] = []
    i = 0
    while i < len(words):
        best: tuple[int, int | None] = (0, None)
        for sentence, j in source.positions.get(words[i], []):
            size = _common(words, i, source.tokens[sentence], j)
            if size > best[0]:
                best = (size, sentence)
        runs.append(best if best[0] else (1, None))
        i += max(best[0], 1)
    return runs


def _common(a: Sequence[str], i: int, b: Sequence[str], j: int) -> int:
    size = 0
    while i + size < len(a) and j + size < len(b) and a[i + size] == b[j + size]:
        size += 1
    return size


def _tokens(text: str) -> tuple[str, ...]:
    """Stemmed words in order, a possessive as its noun ("Millbrook's council": millbrook)."""
    return tuple(stem(w.lower()) for w in WORD.findall(_POSSESSIVE.sub("", straight(text))))


_POSSESSIVE = re.compile(r"'s\b")


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def _bigram_share(
    words: Sequence[str], found: "set[tuple[str, str]] | frozenset[tuple[str, str]]"
) -> float:
    mine = _bigrams(words)
    return _share(mine, found) if mine else 0.0


def _share(part: AbstractSet[object], whole: AbstractSet[object]) -> float:
    return len(part & whole) / len(part) if part else 0.0
