"""Engines draft claims that cite sentence ids; the rest of the pipeline grounds them."""

from .base import AnswerDraft, Draft, DraftClaim, Engine, SummaryOptions

__all__ = ["AnswerDraft", "Draft", "DraftClaim", "Engine", "SummaryOptions"]
