"""What the llm engine asks a model to answer, and how that answer is read: the JSON schemas
sent with each call, and the pydantic models that check what comes back (a bad answer is
ModelBadOutput, never a half-read draft)."""

from pydantic import BaseModel, Field

from ..model import parse_json
from .base import AnswerDraft, DraftClaim

_CLAIM_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text", "sentence_ids"],
        "properties": {
            "text": {"type": "string"},
            "sentence_ids": {"type": "array", "items": {"type": "integer"}},
        },
    },
}
CLAIMS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["claims"],
    "properties": {"claims": _CLAIM_LIST},
}
ANSWER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["answerable", "explanation", "claims"],
    "properties": {
        "answerable": {"type": "boolean"},
        "explanation": {"type": "string"},
        "claims": _CLAIM_LIST,
    },
}
QUESTION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["question"],
    "properties": {"question": {"type": "string"}},
}


# Bounds on what a model may send back: a runaway answer is refused, not stored.
class ModelClaim(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    sentence_ids: list[int] = Field(max_length=50)


class ModelClaims(BaseModel):
    claims: list[ModelClaim] = Field(max_length=100)


class ModelAnswer(ModelClaims):
    answerable: bool
    explanation: str = Field("", max_length=1000)


class ModelQuestion(BaseModel):
    question: str = Field(min_length=1, max_length=4000)


def parse_claims(text: str) -> list[DraftClaim]:
    return _drafts(parse_json(text, ModelClaims))


def parse_answer(text: str) -> AnswerDraft:
    """An abstention keeps no claims, whatever the model sent along with it."""
    parsed = parse_json(text, ModelAnswer)
    return AnswerDraft(
        claims=_drafts(parsed) if parsed.answerable else [],
        answerable=parsed.answerable,
        explanation=parsed.explanation.strip(),
    )


def parse_question(text: str) -> str:
    return parse_json(text, ModelQuestion).question.strip()


def _drafts(parsed: ModelClaims) -> list[DraftClaim]:
    return [
        DraftClaim(text=c.text.strip(), sentence_ids=c.sentence_ids)
        for c in parsed.claims
        if c.text.strip()
    ]
