"""Verification time on long sentences: the checks compare claim clauses with source clauses, so
a careless implementation is quadratic in a sentence's length.

    .venv/bin/python bench/verify_long.py

Prints seconds for: a long sentence checked against itself (what the extractive engine does with
every sentence it quotes), a long model claim (60 clauses, about 2,900 characters) against a long
cited sentence, and extractive summaries and answers of an article that is one long sentence
(precinct results joined by semicolons).
"""

import asyncio
import time

from service.domain.conversation import ChatMessage
from service.domain.engines.base import SummaryOptions
from service.domain.engines.extractive import ExtractiveEngine
from service.domain.pipeline.chat import answer
from service.domain.pipeline.summarize import summarize
from service.domain.reading.article import build_article
from service.domain.verification.support import check_support


def results(count: int) -> str:
    return (
        "; ".join(f"Precinct {i} reported {1000 + i} votes for the levy" for i in range(count))
        + "."
    )


def timed(label: str, work) -> None:
    started = time.perf_counter()
    work()
    print(f"  {label:58} {time.perf_counter() - started:6.2f} s")


def main() -> None:
    for count in (500, 2000, 8000):
        sentence = results(count)
        print(f"one sentence of {len(sentence):,} characters ({count} clauses):")
        timed(
            "check_support(sentence, [sentence])",
            lambda sentence=sentence: check_support(sentence, [sentence]),
        )
        claim = results(60).replace("votes", "ballots")  # 60 clauses: under MAX_CLAUSES
        timed(
            "a 60-clause claim (not verbatim) against it",
            lambda claim=claim, sentence=sentence: check_support(claim, [sentence]),
        )
        article = build_article(f"The county released its results on Tuesday. {sentence}")
        timed(
            "extractive summary of the article",
            lambda article=article: asyncio.run(
                summarize(article, SummaryOptions(), ExtractiveEngine())
            ),
        )
        question = [ChatMessage(role="user", content="How many votes did Precinct 7 report?")]
        timed(
            "extractive answer about it",
            lambda article=article, question=question: asyncio.run(
                answer(article, question, ExtractiveEngine())
            ),
        )


if __name__ == "__main__":
    main()
