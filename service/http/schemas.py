"""Request bodies of the HTTP API (responses are the domain's own models)."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..domain.conversation import ChatMessage
from ..domain.engines.base import SummaryOptions
from ..domain.errors import InvalidInput
from ..runtime import ArticleInput

# The article-or-id choice is two optional fields of a plain object, checked here rather than
# written as a `oneOf` in the schema: client generators drop the fields that sit beside a `oneOf`
# (openapi-python-client's chat request had no `messages`). Giving both or neither is a 422.
ONE_ARTICLE = "Give exactly one of `article` and `article_id`."
ONE_SOURCE = "Give exactly one of `source` and `source_id`."


def exactly_one(**given: object) -> None:
    if sum(value is not None for value in given.values()) != 1:
        first, second = (f"`{name}`" for name in given)
        raise InvalidInput(f"give exactly one of {first} and {second}")


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The article: plain text, Markdown or HTML.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=4000)
    format: Literal["text", "html", "markdown"] = "text"

    def to_input(self) -> ArticleInput:
        return ArticleInput(text=self.text, title=self.title, url=self.url, format=self.format)


class ArticleRef(BaseModel):
    """An article inline, or the id of a stored one: exactly one of the two."""

    article: ArticleIn | None = Field(None, description=f"The article itself. {ONE_ARTICLE}")
    article_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description=f"The id of a stored article (`POST /v1/articles`). {ONE_ARTICLE}",
    )

    def given(self) -> ArticleInput | None:
        """The inline article, or None for a stored one (422 unless exactly one was given)."""
        exactly_one(article=self.article, article_id=self.article_id)
        return self.article.to_input() if self.article else None


class EngineChoice(BaseModel):
    engine: Literal["extractive", "llm"] | None = Field(
        None, description="Default: `llm` when a model endpoint is configured, else `extractive`."
    )
    model: str | None = Field(None, max_length=200, description="Model name for the `llm` engine.")


class SummaryRequest(SummaryOptions, EngineChoice, ArticleRef):
    """A summary of an article. Give exactly one of `article` and `article_id`."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("max_sentences", mode="before")
    @classmethod
    def _integral_float(cls, value: object) -> object:
        # Bodies are validated strictly (no "5" for 5), but JSON Schema counts 5.0 as an integer.
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def options(self) -> SummaryOptions:
        return SummaryOptions(**self.model_dump(include=set(SummaryOptions.model_fields)))


class ChatRequest(EngineChoice, ArticleRef):
    """A question about an article. Give exactly one of `article` and `article_id`."""

    model_config = ConfigDict(extra="forbid")

    messages: list[ChatMessage] = Field(
        min_length=1,
        description="The conversation so far, oldest first; the last message is the "
        "user's question. Only the article is ever cited, never an assistant turn.",
    )
    stream: bool = Field(
        False,
        description="Answer as text/event-stream; the last event, `done`, "
        "carries the same JSON as the plain response.",
    )


class VerifyRequest(BaseModel):
    """A text to check, and the source to check it against: give exactly one of `source` (the
    text inline) and `source_id` (a stored article's id)."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(
        None, min_length=1, description=f"The source text (plain text). {ONE_SOURCE}"
    )
    source_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description=f"The id of a stored article to use as the source. {ONE_SOURCE}",
    )
    text: str = Field(min_length=1, description="Any text, from any model or person, to check.")
    judge: bool | None = Field(
        None,
        description="Also have the model judge each claim (needs a "
        "model endpoint); default: the server's FOOTNOTED_VERIFY_JUDGE.",
    )
    model: str | None = Field(None, max_length=200, description="Model for the judge.")

    def given(self) -> ArticleInput | None:
        """The inline source, or None for a stored one (422 unless exactly one was given)."""
        exactly_one(source=self.source, source_id=self.source_id)
        return ArticleInput(text=self.source) if self.source is not None else None
