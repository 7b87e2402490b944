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
