"""ROUGE of the extractive engine against Lead-3 on the project's golden articles.

    .venv/bin/python bench/summary_rouge.py

Prints ROUGE-1 F1 per article and the means of ROUGE-1/2/Lsum F1 (rouge-score, stemmer on) for:
our `short` summaries; Lead-3 on the raw text (the first three sentences, page furniture and
all); Lead-3 on the body (the first three sentences that are neither furniture nor headlines,
the fair baseline).
"""

from statistics import mean

from service.evals.golden import load_articles
from service.evals.rouge import ROUGE_TYPES
from service.evals.summaries import SYSTEMS, rouge_table


def main() -> None:
    goldens = load_articles()
    table = rouge_table(goldens)
    print(f"{'article':40} " + " ".join(f"{name:>11}" for name in SYSTEMS) + "  (ROUGE-1 F1)")
    for i, golden in enumerate(goldens):
        print(f"{golden.id:40} " + " ".join(f"{table[n]['rouge1'][i]:11.3f}" for n in SYSTEMS))
    print(f"\nmean F1 over {len(goldens)} articles")
    for name in SYSTEMS:
        print(f"{name:11} " + "  ".join(f"{m}={mean(table[name][m]):.4f}" for m in ROUGE_TYPES))


if __name__ == "__main__":
    main()
