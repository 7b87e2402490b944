"""footnoted: summaries and answers whose every sentence carries a checked footnote."""

__version__ = "0.1.0"
