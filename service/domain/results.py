"""What every grounded response is made of: claims, their citations, verdicts and usage."""

from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["supported", "uncertain", "unsupported"]
Status = Literal["verified", "repaired", "partial", "failed"]


class Citation(BaseModel):
    start: int = Field(description="Offset in the article text (GET /v1/articles/{id}).")
    end: int
    quote: str = Field(description="Exactly article.text[start:end], copied by the server.")
    sentence_id: int = Field(description="The article sentence this citation is.")


class Claim(BaseModel):
    text: str = Field(description="One sentence of the output: output[start:end].")
    start: int
    end: int
    citations: list[Citation]
    verdict: Verdict = Field(
        description=(
            "supported: right at least 85% of the time on real labelled claims (measured 0.866); "
            "unsupported: right at least 85% of the time (0.858), or the claim states a number the "
            "article never does, or cites nothing; uncertain: the verifier cannot tell (a check fired, "
            "or the evidence is not strong enough either way)."
        )
    )
    support: float = Field(
        ge=0.0,
        le=1.0,
        description=(
            "The probability that the citations support the claim (calibrated on real labelled "
            "claims; 1.0 for a cited sentence quoted verbatim)."
        ),
    )


class Validation(BaseModel):
    status: Status = Field(
        description=(
            "verified: every claim is supported (repaired: after a model repair); in chat, also "
            "the answer answers the question (a cited sentence is about it and the answer holds "
            "what it asks for), else the response is an abstention; partial: some claims are "
            "supported; failed: none is."
        )
    )
    claims: int
    supported: int
    uncertain: int = Field(0, description="Claims the verifier could neither confirm nor refute.")
    unsupported: int
    dropped_citations: list[int] = Field(
        default_factory=list,
        description="Sentence ids an engine cited that name no citable sentence.",
    )
    removed: int = Field(0, description="Unsupported claims left out (option `unsupported: drop`).")


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_calls: int = 0
    cached: bool = False

    def add(self, more: "Usage") -> None:
        self.prompt_tokens += more.prompt_tokens
        self.completion_tokens += more.completion_tokens
        self.llm_calls += more.llm_calls


class Grounded(BaseModel):
    article_id: str
    claims: list[Claim]
    validation: Validation
    usage: Usage
    engine: str
    model: str
    prompt_version: str


class GroundedSummary(Grounded):
    summary: str


def validation_for(
    claims: list[Claim], dropped: list[int], repaired: bool = False, removed: int = 0
) -> Validation:
    """The status says the truth: all supported, some, or none (removed claims count as failed)."""
    supported = sum(claim.verdict == "supported" for claim in claims)
    uncertain = sum(claim.verdict == "uncertain" for claim in claims)
    if claims and supported == len(claims) and not removed:
        status: Status = "repaired" if repaired else "verified"
    else:
        status = "partial" if supported else "failed"
    return Validation(
        status=status,
        claims=len(claims),
        supported=supported,
        uncertain=uncertain,
        unsupported=len(claims) - supported - uncertain,
        dropped_citations=dropped,
        removed=removed,
    )
