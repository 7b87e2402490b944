"""Summary quality against human reference summaries: our engine beside the Lead-3 baselines."""

import asyncio

from ..domain.engines.base import SummaryOptions
from ..domain.engines.extractive import ExtractiveEngine, summary_candidates
from ..domain.reading.article import build_article
from ..domain.reading.segment import split_sentences
from .golden import GoldenArticle
from .rouge import rouge_f1

SYSTEMS = ("extractive", "lead3-raw", "lead3-body")


def summaries_of(golden: GoldenArticle) -> dict[str, list[str]]:
    """Our `short` summary; Lead-3 on the raw text (furniture and all) and on the body only."""
    article = build_article(golden.text, title=golden.title, fmt=golden.format)
    draft = asyncio.run(ExtractiveEngine().summarize(article, SummaryOptions(length="short")))
    return {
        "extractive": [claim.text for claim in draft.claims],
        "lead3-raw": [s.text for s in article.sentences[:3]],
        "lead3-body": [s.text for s in summary_candidates(article)[:3]],
    }


def rouge_table(goldens: list[GoldenArticle]) -> dict[str, dict[str, list[float]]]:
    """system -> ROUGE type -> one F1 per article, in the order given."""
    table: dict[str, dict[str, list[float]]] = {name: {} for name in SYSTEMS}
    for golden in goldens:
        reference = [
            golden.reference_summary[s:e] for s, e in split_sentences(golden.reference_summary)
        ]
        for name, summary in summaries_of(golden).items():
            for metric, value in rouge_f1(reference, summary).items():
                table[name].setdefault(metric, []).append(value)
    return table
