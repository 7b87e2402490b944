"""Citation resolution: sentence ids from an engine become spans and verbatim quotes.

Offsets always come from the article, never from the engine: an engine only names sentences.
"""

from ..reading.article import Article
from ..results import Citation


def resolve_citations(
    article: Article, sentence_ids: list[int]
) -> tuple[list[Citation], list[int]]:
    """Citations for the ids that name citable sentences, and the ids dropped (unknown ids,
    furniture, suspected injections)."""
    citations: list[Citation] = []
    dropped: list[int] = []
    for sentence_id in dict.fromkeys(sentence_ids):  # de-duplicated, order kept
        sentence = article.sentence(sentence_id)
        if sentence is None or not sentence.citable:
            dropped.append(sentence_id)
            continue
        quote = article.text[sentence.start : sentence.end]
        citations.append(
            Citation(start=sentence.start, end=sentence.end, quote=quote, sentence_id=sentence.id)
        )
    return citations, dropped
