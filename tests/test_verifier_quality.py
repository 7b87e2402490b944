"""The verifier on the project's own labelled claim set: the regression suite for what each
verdict promises (the figures bench/verifier.py prints). The learned verifier was fitted on real
claims and on this set, so these are guards, not measures; bench/real_data.py measures."""

import pytest

from service.evals.claims import load_claim_sets
from service.evals.verifier_eval import evaluate_verifier, score_claims

# Categories of unsupported claims that the checks exist for: never called supported.
CAUGHT = ("amount", "antonym", "date", "name-absent", "negation", "place", "unrelated")


@pytest.fixture(scope="module")
def report():
    return evaluate_verifier(score_claims())


def test_the_claim_set_is_big_and_balanced_enough():
    claims = [c for s in load_claim_sets() for c in s.claims]
    assert len(claims) >= 200 and len(load_claim_sets()) >= 15
    assert 0.4 <= sum(c.label == "unsupported" for c in claims) / len(claims) <= 0.6


def test_an_unsupported_verdict_can_be_relied_on(report):
    assert report["verifier"]["precision_unsupported"] >= 0.85


def test_support_ranks_claims_better_than_word_overlap(report):
    assert report["verifier"]["roc_auc"] >= 0.75
    assert report["verifier"]["roc_auc"] >= report["baseline"]["roc_auc"] + 0.10


def test_copies_are_supported_and_the_checked_errors_are_not(report):
    per_category = report["verifier"]["per_category"]
    assert per_category["verbatim"] == 1.0
    for category in CAUGHT:
        assert per_category[category] >= 0.85, category
