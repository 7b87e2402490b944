"""The offline verifier on the labelled claim set (the figures bench/verifier.py prints)."""

import pytest

from service.domain.verification.support import SUPPORT_THRESHOLD
from service.evals.claims import load_claim_sets
from service.evals.verifier_eval import best_threshold, evaluate_verifier, score_claims


@pytest.fixture(scope="module")
def rows():
    return score_claims()


@pytest.fixture(scope="module")
def report(rows):
    return evaluate_verifier(rows)


def test_the_claim_set_is_big_and_balanced_enough():
    claims = [c for s in load_claim_sets() for c in s.claims]
    assert len(claims) >= 200 and len(load_claim_sets()) >= 15
    assert 0.4 <= sum(c.label == "unsupported" for c in claims) / len(claims) <= 0.6


def test_cross_validated_balanced_accuracy_beats_word_overlap(report):
    ours, baseline = report["verifier"], report["baseline"]
    assert ours["balanced_accuracy"] >= 0.80
    assert ours["balanced_accuracy"] >= baseline["balanced_accuracy"] + 0.10
    assert ours["supported_recall"] >= 0.75


def test_the_service_threshold_is_the_one_fitted_on_the_set(rows):
    fitted = best_threshold([r.verifier for r in rows], [r.supported for r in rows])
    assert abs(fitted - SUPPORT_THRESHOLD) < 0.01
