"""The extractive engine's answer/abstain trade-off on the golden questions.

    .venv/bin/python bench/abstention.py

For each threshold on the IDF-weighted coverage of the question by the best sentence, prints:
the share of answerable questions (single questions and conversation turns) whose golden answer
stands in the answer (fact match, METRICS.md), the share of unanswerable ones on which it
abstains, and the false-abstention rate. The engine's ANSWER_THRESHOLD is marked.
"""

from service.domain.article import build_article
from service.domain.conversation import ChatMessage
from service.domain.engines import extractive
from service.evals.answers import fact_match
from service.evals.golden import load_articles, load_questions

THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 17)]


def cases():
    """(article, messages, golden turn) for every question and every conversation turn."""
    articles = {a.id: build_article(a.text, title=a.title) for a in load_articles()}
    for golden in load_questions():
        article = articles[golden.article_id]
        for q in golden.questions:
            yield article, [ChatMessage(role="user", content=q.question)], q
        for conversation in golden.conversations:
            history: list[ChatMessage] = []
            for turn in conversation.turns:
                history.append(ChatMessage(role="user", content=turn.question))
                yield article, list(history), turn
                reply = turn.answer if turn.answerable else "The article does not say."
                history.append(ChatMessage(role="assistant", content=reply))


def rates(threshold: float, all_cases) -> tuple[float, float, float]:
    hit = answerable = abstained = unanswerable = false_abstentions = 0
    for article, messages, golden in all_cases:
        texts = [h.sentence.text for h in extractive.answer_hits(article, messages, threshold)]
        if golden.answerable:
            answerable += 1
            hit += bool(texts) and fact_match(golden.answer, *texts)
            false_abstentions += not texts
        else:
            unanswerable += 1
            abstained += not texts
    return hit / answerable, abstained / unanswerable, false_abstentions / answerable


def main() -> None:
    all_cases = list(cases())
    answerable = sum(g.answerable for _, _, g in all_cases)
    print(f"{answerable} answerable, {len(all_cases) - answerable} unanswerable cases")
    print("threshold  fact-match  abstain(unans.)  false-abstain")
    for threshold in THRESHOLDS:
        fact, abstain, false_abstain = rates(threshold, all_cases)
        mark = "  <- ANSWER_THRESHOLD" if threshold == extractive.ANSWER_THRESHOLD else ""
        print(f"{threshold:9.2f}  {fact:10.3f}  {abstain:15.3f}  {false_abstain:13.3f}{mark}")


if __name__ == "__main__":
    main()
