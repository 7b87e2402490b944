"""What the llm engine asks a model to answer, and how that answer is read: the JSON schemas
sent with each call, and the pydantic models that check what comes back (a bad answer is
ModelBadOutput, never a half-read draft)."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from ..model import CHARS_PER_TOKEN, parse_json
from ..reading.article import Sentence
from .base import AnswerDraft, DraftClaim

# Bounds on what a model may write. A small model writes until it is stopped, so every schema
# says how much: how many claims, how long each, which ids (llama.cpp, vLLM and others compile
# the schema into a grammar), and max_tokens follows from the same bounds. The same bounds are
# applied after parsing, for endpoints that only offer JSON mode: what a grammar would have cut
# short is cut short.
CLAIM_CHARS = 400  # one sentence of news runs 100 to 250 characters, a long one 400
IDS_PER_CLAIM = 5
ANSWER_CLAIMS = 3  # as prompts/answer.md asks
EXPLANATION_CHARS = 300
QUESTION_CHARS = 300
_ID_CHARS = 8  # an id and its separator, at most
_CLAIM_SYNTAX = 48  # {"text": "", "sentence_ids": []}, with spacing
_ANSWER_SYNTAX = 64  # {"answerable": false, "explanation": "", "claims": []}


@dataclass(frozen=True)
class Bounds:
    """At most `claims` claims, each citing ids between `first_id` and `last_id` (those shown)."""

    claims: int
    first_id: int
    last_id: int

    def claims_schema(self) -> dict[str, Any]:
        return _object({"claims": self._claim_list()})

    def answer_schema(self) -> dict[str, Any]:
        return _object(
            {
                "answerable": {"type": "boolean"},
                "explanation": {"type": "string", "maxLength": EXPLANATION_CHARS},
                "claims": self._claim_list(),
            }
        )

    def claims_tokens(self) -> int:
        """Output tokens for the longest answer the schema allows, so that a bounded answer is
        not cut off and a runaway one costs no more."""
        return _tokens(self._claims_chars() + _ANSWER_SYNTAX)

    def answer_tokens(self) -> int:
        return _tokens(self._claims_chars() + EXPLANATION_CHARS + _ANSWER_SYNTAX)

    def _claims_chars(self) -> int:
        return self.claims * (CLAIM_CHARS + IDS_PER_CLAIM * _ID_CHARS + _CLAIM_SYNTAX)

    def _claim_list(self) -> dict[str, Any]:
        return {
            "type": "array",
            "maxItems": self.claims,
            "items": _object(
                {
                    "text": {"type": "string", "minLength": 1, "maxLength": CLAIM_CHARS},
                    "sentence_ids": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": IDS_PER_CLAIM,
                        "items": {
                            "type": "integer",
                            "minimum": self.first_id,
                            "maximum": self.last_id,
                        },
                    },
                }
            ),
        }


def bounds_for(claims: int, sentences: list[Sentence]) -> Bounds:
    ids = [s.id for s in sentences] or [1]
    return Bounds(claims=claims, first_id=min(ids), last_id=max(ids))


def _tokens(chars: int) -> int:
    return -(-chars // CHARS_PER_TOKEN)


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


QUESTION_SCHEMA = _object(
    {"question": {"type": "string", "minLength": 1, "maxLength": QUESTION_CHARS}}
)
QUESTION_TOKENS = _tokens(QUESTION_CHARS + 24)


# What a model may send back at all: past these, an answer is refused, not stored.
class ModelClaim(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    sentence_ids: list[int] = Field(max_length=50)


class ModelClaims(BaseModel):
    claims: list[ModelClaim] = Field(max_length=100)


class ModelAnswer(ModelClaims):
    answerable: bool
    explanation: str = Field("", max_length=4000)


class ModelQuestion(BaseModel):
    question: str = Field(min_length=1, max_length=4000)


def parse_claims(text: str, bounds: Bounds) -> list[DraftClaim]:
    return _drafts(parse_json(text, ModelClaims), bounds)


def parse_answer(text: str, bounds: Bounds) -> AnswerDraft:
    """An abstention keeps no claims, whatever the model sent along with it."""
    parsed = parse_json(text, ModelAnswer)
    return AnswerDraft(
        claims=_drafts(parsed, bounds) if parsed.answerable else [],
        answerable=parsed.answerable,
        explanation=parsed.explanation.strip()[:EXPLANATION_CHARS],
    )


def parse_question(text: str) -> str:
    return parse_json(text, ModelQuestion).question.strip()[:QUESTION_CHARS]


def _drafts(parsed: ModelClaims, bounds: Bounds) -> list[DraftClaim]:
    """The claims within the bounds, as a grammar would have kept them: the first `claims`
    claims, texts cut at CLAIM_CHARS, the first IDS_PER_CLAIM ids. Ids outside those shown
    stay, for grounding to report as dropped citations."""
    return [
        DraftClaim(text=c.text.strip()[:CLAIM_CHARS], sentence_ids=c.sentence_ids[:IDS_PER_CLAIM])
        for c in parsed.claims[: bounds.claims]
        if c.text.strip()
    ]
