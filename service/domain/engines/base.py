"""The engine seam: one protocol for the embedded extractive engine and model-backed ones."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from ..conversation import ChatMessage
from ..reading.article import Article
from ..results import Usage

LENGTH_SENTENCES = {"short": 3, "medium": 5, "long": 8}


class SummaryOptions(BaseModel):
    length: Literal["short", "medium", "long"] = Field(
        "short", description="short: 3 sentences, medium: 5, long: 8."
    )
    max_sentences: int | None = Field(
        None,
        ge=1,
        description="At most this many sentences; overrides `length` (the server's "
        "limit, FOOTNOTED_MAX_SUMMARY_SENTENCES, is 50 by default).",
    )
    style: Literal["paragraph", "bullets"] = "paragraph"
    unsupported: Literal["flag", "drop"] = Field(
        "flag",
        description="What to do with claims still unsupported after repair: return them "
        "with `verdict: unsupported` (flag) or leave them out (drop).",
    )

    @property
    def sentences(self) -> int:
        return self.max_sentences or LENGTH_SENTENCES[self.length]


@dataclass
class DraftClaim:
    text: str
    sentence_ids: list[int]


@dataclass
class Draft:
    claims: list[DraftClaim]
    usage: Usage = field(default_factory=Usage)


@dataclass
class AnswerDraft(Draft):
    answerable: bool = True
    explanation: str = ""  # why the article cannot answer, when it cannot


class Engine(Protocol):
    name: str
    model: str
    prompt_version: str

    async def summarize(self, article: Article, options: SummaryOptions) -> Draft: ...

    def answer_stream(
        self, article: Article, messages: list[ChatMessage]
    ) -> AsyncIterator[str | AnswerDraft]:
        """Claims answering the last user message, or `answerable=False`: their text as it is
        written (provisional), then the whole draft."""
        ...

    async def repair(
        self, article: Article, draft: Draft, problems: list[str], options: SummaryOptions
    ) -> Draft | None:
        """A corrected draft, given what verification found wrong; None when it cannot repair."""
        ...
