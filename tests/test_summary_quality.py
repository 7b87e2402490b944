"""The extractive engine is at least as good as Lead-3 by ROUGE-1 on the golden articles."""

from statistics import mean

import pytest

from service.evals.golden import load_articles
from service.evals.summaries import rouge_table


@pytest.fixture(scope="module")
def table():
    goldens = load_articles()
    assert len(goldens) >= 10
    return rouge_table(goldens)


def test_extractive_matches_or_beats_lead3_by_rouge1(table):
    ours = mean(table["extractive"]["rouge1"])
    assert ours >= mean(table["lead3-body"]["rouge1"])
    assert ours >= mean(table["lead3-raw"]["rouge1"])


def test_rouge_scores_are_real_numbers(table):
    for scores in table["extractive"].values():
        assert all(0.0 < value < 1.0 for value in scores)
