"""The article model: canonical text, sentences with character offsets, token-bounded chunks."""

import hashlib

from pydantic import BaseModel, Field

from ..errors import InvalidInput, LimitExceeded
from .formats import to_plain_text
from .furniture import is_furniture
from .injection import suspect_paragraphs
from .normalize import normalize_text
from .segment import split_sentences
from .tokens import Tokenizer, tokenizer_for


class Sentence(BaseModel):
    id: int = Field(description="1-based sentence number; what engines cite.")
    start: int = Field(description="Offset of the first character in the article text.")
    end: int = Field(description="Offset one past the last character.")
    text: str = Field(description="Exactly article.text[start:end].")
    tokens: int
    furniture: bool = Field(description="Page furniture: kept in the text, never cited.")
    suspect: bool = Field(
        False,
        description="Talks to an AI (prompt injection): kept in the text, "
        "never cited, never shown to a model.",
    )

    @property
    def citable(self) -> bool:
        return not (self.furniture or self.suspect)


class Chunk(BaseModel):
    id: int
    start: int
    end: int
    first_sentence: int
    last_sentence: int
    tokens: int


class Article(BaseModel):
    id: str = Field(description="Content address: a hash of title and normalized text.")
    title: str | None = None
    url: str | None = None
    text: str = Field(description="Normalized text; every citation offset indexes it.")
    sentences: list[Sentence]
    tokens: int
    chunks: list[Chunk]

    def preview(self, chars: int = 120) -> str:
        """What a list of articles shows: its first citable sentence of some length (not the
        page furniture it may start with), cut to `chars`."""
        citable = [s.text for s in self.sentences if s.citable]
        first = next((t for t in citable if len(t) >= 40), citable[0] if citable else self.text)
        return first if len(first) <= chars else first[: chars - 1].rstrip() + "…"

    def sentence(self, sentence_id: int) -> Sentence | None:
        if 1 <= sentence_id <= len(self.sentences):
            return self.sentences[sentence_id - 1]
        return None


def build_article(
    raw: str,
    *,
    title: str | None = None,
    url: str | None = None,
    fmt: str = "text",
    max_chars: int = 1_000_000,
    max_tokens: int | None = None,
    chunk_tokens: int = 512,
    tokenizer: Tokenizer | None = None,
) -> Article:
    """Turn what a user sent into the article every later step works on."""
    plain, found_title = to_plain_text(raw, fmt)
    text = normalize_text(plain)
    if not text:
        raise InvalidInput("the article has no text once normalized")
    if len(text) > max_chars:
        raise LimitExceeded(
            "max_article_chars",
            max_chars,
            f"the article has {len(text)} characters; the limit is {max_chars}",
        )
    title = normalize_text(title or found_title or "") or None
    tokenizer = tokenizer or tokenizer_for(None)
    tokens = tokenizer.count(text)
    if max_tokens is not None and tokens > max_tokens:
        raise LimitExceeded(
            "max_article_tokens",
            max_tokens,
            f"the article has {tokens} tokens; the limit is {max_tokens}",
        )
    sentences = _sentences(text, tokenizer)
    return Article(
        id=article_id(text, title),
        title=title,
        url=url,
        text=text,
        sentences=sentences,
        tokens=tokens,
        chunks=chunk_sentences(sentences, chunk_tokens),
    )


def article_id(text: str, title: str | None) -> str:
    digest = hashlib.sha256(f"{title or ''}\x00{text}".encode()).hexdigest()
    return digest[:32]


def _sentences(text: str, tokenizer: Tokenizer) -> list[Sentence]:
    spans = split_sentences(text)
    counts = tokenizer.count_many([text[s:e] for s, e in spans])
    suspects = suspect_paragraphs(text, spans)
    return [
        Sentence(
            id=i,
            start=s,
            end=e,
            text=text[s:e],
            tokens=n,
            furniture=is_furniture(text[s:e]),
            suspect=suspect,
        )
        for i, ((s, e), n, suspect) in enumerate(zip(spans, counts, suspects, strict=True), start=1)
    ]


def chunk_sentences(sentences: list[Sentence], max_tokens: int) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_tokens` (a longer sentence stands alone)."""
    chunks: list[Chunk] = []
    group: list[Sentence] = []
    total = 0
    for sentence in sentences:
        if group and total + sentence.tokens > max_tokens:
            chunks.append(_chunk(len(chunks) + 1, group))
            group, total = [], 0
        group.append(sentence)
        total += sentence.tokens
    if group:
        chunks.append(_chunk(len(chunks) + 1, group))
    return chunks


def _chunk(chunk_id: int, group: list[Sentence]) -> Chunk:
    return Chunk(
        id=chunk_id,
        start=group[0].start,
        end=group[-1].end,
        first_sentence=group[0].id,
        last_sentence=group[-1].id,
        tokens=sum(s.tokens for s in group),
    )
