"""Eval cases built from the golden data: one summary per article, one case per question, one
per conversation (its turns asked in order, the golden answers standing in as the assistant's
earlier replies, so a turn's score does not depend on the turns before it going right)."""

from dataclasses import dataclass, field
from fnmatch import fnmatch

from .golden import GoldenArticle, GoldenQuestion, GoldenQuestions

SUMMARY, QUESTION, CONVERSATION = "summary", "question", "conversation"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    article: GoldenArticle
    turns: list[GoldenQuestion] = field(default_factory=list)


def build_cases(
    articles: list[GoldenArticle], questions: list[GoldenQuestions], pattern: str | None = None
) -> list[Case]:
    by_id = {a.id: a for a in articles}
    cases = [Case(f"{a.id}-summary", SUMMARY, a) for a in articles]
    for group in questions:
        article = by_id[group.article_id]
        cases += [Case(q.id, QUESTION, article, [q]) for q in group.questions]
        cases += [Case(c.id, CONVERSATION, article, c.turns) for c in group.conversations]
    return [case for case in cases if pattern is None or fnmatch(case.id, pattern)]
