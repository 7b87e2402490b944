"""The learned verifier's alignment features: a claim as a compression of one article sentence,
and acronyms of the names an article spells out."""

from service.domain.verification.features import _subsequence, claim_features, source_of
from service.domain.verification.learned import feature_vector, learned_verifier
from service.domain.verification.mentions import initialisms, names, word_forms

ARTICLE = [
    "The Port Alder city council voted 6-3 on Tuesday to buy two electric ferries.",
    "The ferries will cost $18.4 million, the United Nations Development Programme said.",
]


def test_subsequence_counts_pieces_and_span():
    assert _subsequence("a b c d".split(), "a b c d".split()) == (4, 1, 4)
    assert _subsequence("a b c d".split(), "a b x c d".split()) == (4, 2, 5)
    assert _subsequence("q a c".split(), "a b c d".split()) == (2, 2, 3)
    assert _subsequence([], "a".split()) == (0, 0, 0)


def test_a_claim_that_drops_words_from_one_sentence_is_a_subsequence_of_it():
    found = claim_features(
        "The council voted on Tuesday to buy two ferries.", ARTICLE[:1], source_of(ARTICLE)
    )
    assert found["subsequence"] == 1.0
    assert found["lcs_best"] == 1.0
    assert found["pieces"] == 4.0  # the | council voted | on Tuesday to buy two | ferries


def test_a_possessive_is_its_noun_in_the_alignment():
    found = claim_features("Port Alder's council voted 6-3.", ARTICLE[:1], source_of(ARTICLE))
    assert found["subsequence"] == 1.0


def test_a_spliced_claim_is_no_subsequence():
    found = claim_features(
        "The council said the ferries will cost $18.4 million.", ARTICLE, source_of(ARTICLE)
    )
    assert found["subsequence"] == 0.0
    assert found["lcs_best"] < 1.0


def test_initialisms_of_capitalised_runs():
    found = initialisms(
        "The United Nations Security Council met the North Atlantic Treaty Organization."
    )
    assert {"un", "uns", "unsc", "nato"} <= found
    assert "tu" not in found  # an opening "The" is no initial


def test_an_acronym_of_a_name_in_the_article_is_no_missing_name():
    claim = "The UN Security Council imposed sanctions."
    assert (
        names(claim) - word_forms("The United Nations Security Council imposed sanctions.") == set()
    )
    assert "un" in names(claim) - word_forms("The Security Council imposed sanctions.")


def test_the_model_reads_every_feature_the_vector_has():
    vector = feature_vector("The council voted. It met.", ARTICLE[:1], source_of(ARTICLE))
    model = learned_verifier()
    assert set(model.features) <= set(vector)
    assert vector["subsequence_min_alone"] == 0.0  # two sentences: weighed apart
    assert 0.0 <= model.probability(vector) <= 1.0
