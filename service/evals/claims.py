"""The labelled claim set (evals/claims/): claims about source texts, each supported or not,
with the category of error an unsupported one makes. It measures the verifier."""

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .golden import GOLDEN_DIR, load_articles

CLAIMS_DIR = GOLDEN_DIR.parent / "claims"


class LabelledClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    label: Literal["supported", "unsupported"]
    category: str
    note: str = ""


class ClaimSet(BaseModel):
    source_id: str
    claims: list[LabelledClaim]


def load_sources(directory: Path = CLAIMS_DIR) -> dict[str, str]:
    """Source id -> text: the golden articles and the claim set's own sources."""
    sources = {a.id: a.text for a in load_articles()}
    for path in sorted((directory / "sources").glob("*.json")):
        data = json.loads(path.read_text())
        sources[data["id"]] = data["text"]
    return sources


def load_claim_sets(directory: Path = CLAIMS_DIR) -> list[ClaimSet]:
    return [
        ClaimSet.model_validate(json.loads(path.read_text()))
        for path in sorted(directory.glob("*.json"))
    ]
