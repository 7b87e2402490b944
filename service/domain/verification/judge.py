"""A model as judge of claims against their cited sentences (POST /v1/verify with a judge).

The model's verdict decides, except where an offline check has found the claim wrong (a number
or name absent from the cited text, a flipped polarity, a "may" made a "will"...): every such
veto stands whatever the model says, so a model can only make the verdicts stricter there.
"""

from typing import Any

from pydantic import BaseModel, Field

from ..model import CHARS_PER_TOKEN, ModelClient, parse_json
from ..prompts import load_prompt
from ..results import Claim, Usage
from .support import check_support

REASON_CHARS = 200
_VERDICT_CHARS = REASON_CHARS + 48  # {"claim": 12, "supported": false, "reason": ""}


def verdicts_schema(claims: int) -> dict[str, Any]:
    """One verdict a claim, numbered 1 to `claims`, each reason bounded: a small model that
    would write on stops at the bound (engines/schemas.py says why)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["verdicts"],
        "properties": {
            "verdicts": {
                "type": "array",
                "maxItems": claims,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["claim", "supported", "reason"],
                    "properties": {
                        "claim": {"type": "integer", "minimum": 1, "maximum": claims},
                        "supported": {"type": "boolean"},
                        "reason": {"type": "string", "maxLength": REASON_CHARS},
                    },
                },
            }
        },
    }


def verdicts_tokens(claims: int) -> int:
    return 16 + claims * _VERDICT_CHARS // CHARS_PER_TOKEN


class ModelVerdict(BaseModel):
    claim: int
    supported: bool
    reason: str = Field("", max_length=4000)


class ModelVerdicts(BaseModel):
    verdicts: list[ModelVerdict]


async def judge_claims(
    claims: list[Claim], client: ModelClient, model: str, usage: Usage
) -> list[Claim]:
    """The claims with the model's verdicts, offline proofs of error kept."""
    if not claims:
        return claims
    listing = "\n\n".join(_listing(number, claim) for number, claim in enumerate(claims, start=1))
    completion = await client.complete_json(
        model=model,
        messages=load_prompt("verify").messages(claims=listing),
        schema_name="verdicts",
        schema=verdicts_schema(len(claims)),
        max_tokens=verdicts_tokens(len(claims)),
    )
    usage.add(
        Usage(
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            llm_calls=1,
        )
    )
    said = {v.claim: v.supported for v in parse_json(completion.text, ModelVerdicts).verdicts}
    return [_decide(number, claim, said) for number, claim in enumerate(claims, start=1)]


def _listing(number: int, claim: Claim) -> str:
    cited = "\n".join(f"  - {c.quote}" for c in claim.citations) or "  (nothing cited)"
    return f"Claim {number}: {claim.text}\nCited sentences:\n{cited}"


def _decide(number: int, claim: Claim, said: dict[int, bool]) -> Claim:
    offline = check_support(claim.text, [c.quote for c in claim.citations])
    proven_wrong = bool(offline.reasons) or not claim.citations
    supported = said.get(number, False) and not proven_wrong
    return claim.model_copy(update={"verdict": "supported" if supported else "unsupported"})
