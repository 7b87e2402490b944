"""Engines draft claims that cite sentence ids; the rest of the pipeline grounds them."""

from .base import Draft, DraftClaim, Engine, SummaryOptions

__all__ = ["Draft", "DraftClaim", "Engine", "SummaryOptions"]
