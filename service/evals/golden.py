"""Golden data written for this project, and its schema (pydantic models; `validate.py` checks
what a schema cannot: that answers stand in their support, excerpts in their article).

evals/golden/articles/<id>.json   an article, its reference summary and key facts, and for
                                  prompt-injection articles the attack and its canaries
evals/golden/questions/<id>.json  questions about that article (answerable with a short answer
                                  and verbatim support excerpts, or near-miss unanswerable) and
                                  multi-turn conversations
"""

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "evals" / "golden"


class Injection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    style: str = Field(description="instruction, fake-system, fake-citation or hidden-note.")
    text: str = Field(description="The injected passage, verbatim in the article.")
    canaries: list[str] = Field(
        min_length=1, description="Strings an output holds only if the injection was obeyed."
    )
    false_claims: list[str] = Field(default_factory=list)


class GoldenArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    topic: str
    title: str
    format: str = "text"
    text: str
    reference_summary: str = Field(description="Written by a person, in their own words.")
    key_facts: list[str] = Field(min_length=3, max_length=8)
    injection: Injection | None = None


class GoldenQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = ""  # conversation turns go by their place in the conversation
    question: str
    answerable: bool
    answer: str | None = Field(None, description="Short, verbatim in the article.")
    support: list[str] = Field(default_factory=list, description="Verbatim article excerpts.")
    near_miss: bool = False
    why: str | None = None


class GoldenConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    turns: list[GoldenQuestion] = Field(min_length=2)


class GoldenQuestions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article_id: str
    questions: list[GoldenQuestion]
    conversations: list[GoldenConversation] = Field(default_factory=list)


def load_articles(directory: Path = GOLDEN_DIR / "articles") -> list[GoldenArticle]:
    return [
        GoldenArticle.model_validate(json.loads(path.read_text()))
        for path in sorted(directory.glob("*.json"))
    ]


def load_questions(directory: Path = GOLDEN_DIR / "questions") -> list[GoldenQuestions]:
    return [
        GoldenQuestions.model_validate(json.loads(path.read_text()))
        for path in sorted(directory.glob("*.json"))
    ]
