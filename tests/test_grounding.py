import pytest

from service.domain.engines.base import DraftClaim
from service.domain.pipeline.grounding import compose, ground_claims
from service.domain.reading.article import build_article
from service.domain.results import Claim, validation_for

TEXT = (
    "Breaking News\n\nThe dam opened on Monday. It cost $3 million. Officials cheered the opening."
)


@pytest.mark.parametrize("style", ["paragraph", "bullets"])
def test_compose_spans_slice_back(style):
    texts = ["First claim.", "Second one here.", "Third."]
    output, spans = compose(texts, style)
    assert [output[s:e] for s, e in spans] == texts
    if style == "bullets":
        assert output.splitlines() == ["- First claim.", "- Second one here.", "- Third."]


def test_ground_claims_keeps_both_invariants_and_flags_what_fails():
    article = build_article(TEXT)
    draft = [
        DraftClaim("The dam opened on Monday.", [2]),
        DraftClaim("It cost $4 million.", [3]),
        DraftClaim("Officials cheered.", [4, 42, 1]),
    ]
    output, claims, dropped = ground_claims(article, draft)
    assert dropped == [42, 1]
    for claim in claims:
        assert output[claim.start : claim.end] == claim.text
        for citation in claim.citations:
            assert article.text[citation.start : citation.end] == citation.quote
    # a copied sentence; a number the article never states; a sentence with words dropped,
    # which the learned verifier vouches for (it says less than its source, nothing else)
    assert [c.verdict for c in claims] == ["supported", "unsupported", "supported"]


def test_an_uncited_claim_is_unsupported():
    article = build_article(TEXT)
    _, claims, dropped = ground_claims(article, [DraftClaim("The dam opened on Monday.", [77])])
    assert claims[0].citations == [] and claims[0].verdict == "unsupported"
    assert dropped == [77]


def _claim(verdict):
    return Claim(text="x", start=0, end=1, citations=[], verdict=verdict, support=0.5)


@pytest.mark.parametrize(
    ("verdicts", "repaired", "status"),
    [
        (["supported", "supported"], False, "verified"),
        (["supported", "supported"], True, "repaired"),
        (["supported", "unsupported"], False, "partial"),
        (["unsupported"], False, "failed"),
        ([], False, "failed"),
    ],
    ids=["all", "all-after-repair", "some", "none", "empty"],
)
def test_validation_status_is_truthful(verdicts, repaired, status):
    validation = validation_for([_claim(v) for v in verdicts], [], repaired)
    assert validation.status == status
    assert validation.supported + validation.unsupported == validation.claims == len(verdicts)
