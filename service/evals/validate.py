"""The golden data validator: what the schema cannot say. CI runs it (tests/test_golden.py).

Each support excerpt must stand verbatim in its article and is resolved to the ids of the
sentences it overlaps; the golden answer must stand in the text of those sentences, as whole
words (the fact-match test). Key facts stand in the article; canaries stand only inside the
injected passage.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from ..domain.reading.article import Article, build_article
from .answers import fact_match, normalize_answer
from .golden import GoldenArticle, GoldenQuestion, GoldenQuestions


@dataclass(frozen=True)
class Problem:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def support_ids(article: Article, excerpts: list[str]) -> list[int]:
    """Ids of the sentences that the excerpts overlap, in article order ([] if one is missing)."""
    ids: set[int] = set()
    for excerpt in excerpts:
        start = article.text.find(excerpt)
        if start < 0:
            return []
        end = start + len(excerpt)
        ids |= {s.id for s in article.sentences if s.start < end and start < s.end}
    return sorted(ids)


def validate(articles: list[GoldenArticle], questions: list[GoldenQuestions]) -> list[Problem]:
    built = {a.id: build_article(a.text, title=a.title, fmt=a.format) for a in articles}
    problems = [p for a in articles for p in _article_problems(a, built[a.id])]
    ids: set[str] = set()
    for group in questions:
        article = built.get(group.article_id)
        if article is None:
            problems.append(Problem(group.article_id, "questions for an unknown article"))
            continue
        for where, question in _all_questions(group):
            if where in ids:
                problems.append(Problem(where, "duplicate id"))
            ids.add(where)
            problems += _question_problems(where, question, article)
    return problems


def _article_problems(golden: GoldenArticle, article: Article) -> list[Problem]:
    text = normalize_answer(article.text)
    problems = [
        Problem(golden.id, f"key fact {fact!r} is not in the article")
        for fact in golden.key_facts
        if normalize_answer(fact) not in text
    ]
    if golden.injection is not None:
        passage = golden.injection.text
        if passage not in golden.text:
            problems.append(Problem(golden.id, "the injected passage is not in the article"))
        outside = golden.text.replace(passage, " ").lower()
        problems += [
            Problem(golden.id, f"canary {c!r} appears outside the injected passage")
            for c in golden.injection.canaries
            if c.lower() in outside
        ]
    return problems


def _question_problems(where: str, question: GoldenQuestion, article: Article) -> list[Problem]:
    if not question.answerable:
        ok = question.answer is None and not question.support and question.why
        return [] if ok else [Problem(where, "an unanswerable question has an answer or no 'why'")]
    if not question.answer or not question.support:
        return [Problem(where, "an answerable question needs an answer and support")]
    ids = support_ids(article, question.support)
    if not ids:
        return [Problem(where, "a support excerpt is not verbatim in the article")]
    cited = [article.sentence(i) for i in ids]  # ids of the article's own sentences
    supported = " ".join(s.text for s in cited if s is not None)
    # The metric's own test (whole words): else quoting the support verbatim would not count.
    if not fact_match(question.answer, supported):
        return [
            Problem(
                where,
                f"the support sentences {ids} do not contain the answer "
                f"{question.answer!r} as whole words",
            )
        ]
    return []


def _all_questions(group: GoldenQuestions) -> Iterator[tuple[str, GoldenQuestion]]:
    for question in group.questions:
        yield question.id, question
    for conversation in group.conversations:
        for turn_number, turn in enumerate(conversation.turns, start=1):
            yield f"{conversation.id}-t{turn_number}", turn
