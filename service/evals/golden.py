"""Golden data written for this project: articles with reference summaries and key facts."""

import json
from pathlib import Path

from pydantic import BaseModel, Field

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "evals" / "golden"


class GoldenArticle(BaseModel):
    id: str
    topic: str
    title: str
    format: str = "text"
    text: str
    reference_summary: str = Field(description="Written by a person, in their own words.")
    key_facts: list[str]


def load_articles(directory: Path = GOLDEN_DIR / "articles") -> list[GoldenArticle]:
    return [GoldenArticle.model_validate(json.loads(path.read_text()))
            for path in sorted(directory.glob("*.json"))]


class GoldenQuestion(BaseModel):
    id: str = ""  # conversation turns go by their place in the conversation
    question: str
    answerable: bool
    answer: str | None = Field(None, description="Short, verbatim in the article.")
    support: list[str] = Field(default_factory=list, description="Verbatim article excerpts.")
    near_miss: bool = False
    why: str | None = None


class GoldenConversation(BaseModel):
    id: str
    turns: list[GoldenQuestion]


class GoldenQuestions(BaseModel):
    article_id: str
    questions: list[GoldenQuestion]
    conversations: list[GoldenConversation] = Field(default_factory=list)


def load_questions(directory: Path = GOLDEN_DIR / "questions") -> list[GoldenQuestions]:
    return [GoldenQuestions.model_validate(json.loads(path.read_text()))
            for path in sorted(directory.glob("*.json"))]
