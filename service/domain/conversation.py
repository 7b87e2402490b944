"""A conversation about one article: messages, the current question, follow-ups."""

import re
from typing import Literal

from pydantic import BaseModel, Field

from .errors import InvalidInput
from .words import content_words

# Words that point back at an earlier turn: a question using them needs that turn to be read.
_REFERS_BACK = re.compile(
    r"\b(he|she|it|they|him|her|them|his|hers|its|their|theirs|that|this|those|these|there|then|"
    r"next|after|before|else|also|again|why)\b",
    re.IGNORECASE,
)


class ChatMessage(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


def question_of(messages: list[ChatMessage]) -> str:
    if not messages or messages[-1].role != "user":
        raise InvalidInput("the last message must be the user's question")
    if not any(ch.isalnum() for ch in messages[-1].content):  # "   ", "\u0000", "?"
        raise InvalidInput("the question has no words to answer")
    return messages[-1].content


def is_follow_up(messages: list[ChatMessage]) -> bool:
    """A question that leans on the turns before it: a pronoun, or too few words of its own."""
    question = question_of(messages)
    return len(messages) > 1 and (
        bool(_REFERS_BACK.search(question)) or len(content_words(question)) < 2
    )


def recent_turns(messages: list[ChatMessage], turns: int = 2) -> list[ChatMessage]:
    """The messages before the question, the last `turns` user turns and their answers."""
    earlier = messages[:-1]
    starts = [i for i, m in enumerate(earlier) if m.role == "user"]
    return earlier[starts[-turns] :] if len(starts) >= turns else earlier


def search_context(messages: list[ChatMessage]) -> str:
    """The earlier turns a follow-up is read with (none for a question that stands alone)."""
    return " ".join(m.content for m in recent_turns(messages)) if is_follow_up(messages) else ""
