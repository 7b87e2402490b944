"""Each check of the verifier, with the cases where it must fire and where it must not."""

import pytest

from service.domain.verification.vetoes import (
    antonym_flip,
    attribution_mismatch,
    date_mismatch,
    modality_shift,
    negation_flip,
    number_mismatch,
    split_subject,
    unsupported_link,
)

SOURCE = (
    "Mayor Ruth Okafor said the first ferry should carry passengers by June 2028. "
    "Ticket prices rose 3 percent, and the council approved two new routes."
)

CASES = [
    # (check, claim, fires)
    (number_mismatch, "Ticket prices rose 4 percent.", True),
    (number_mismatch, "The council approved five new routes.", True),
    (number_mismatch, "The first ferry should run by June 2029.", True),
    (number_mismatch, "The council approved 2 new routes.", False),  # digits for words
    (number_mismatch, "Ticket prices rose three percent.", False),  # words for digits
    (number_mismatch, "The council approved new routes.", False),
    (number_mismatch, "Ticket prices rose 2,031 percent.", False),  # 2028 + 3: a derived figure
    (negation_flip, "The council did not approve new routes.", True),
    (negation_flip, "The council never approved the routes.", True),
    (negation_flip, "The council approved two new routes.", False),
    (antonym_flip, "Ticket prices fell 3 percent.", True),
    (antonym_flip, "The council rejected two new routes.", True),
    (antonym_flip, "Ticket prices rose 3 percent.", False),
    (antonym_flip, "Prices went up after the council approved routes.", False),  # no opposite cited
    (modality_shift, "The first ferry will carry passengers by June 2028.", True),
    (modality_shift, "The council may approve two new routes.", False),  # weaker, not wrong
    (modality_shift, "Okafor said the first ferry should carry passengers by June 2028.", False),
    (modality_shift, "Ticket prices rose 3 percent.", False),
    (
        unsupported_link,
        "Ticket prices rose 3 percent because the council approved new routes.",
        True,
    ),
    (unsupported_link, "Ticket prices rose 3 percent and the council approved new routes.", False),
    (
        attribution_mismatch,
        "Councilman Dev Prakash said the first ferry should sail by June 2028.",
        True,
    ),
    (
        attribution_mismatch,
        "Okafor said the first ferry should carry passengers by June 2028.",
        False,
    ),
    (attribution_mismatch, "The first ferry should carry passengers by June 2028.", False),
]

# Written for these tests: a story with the turns a summarizer gets wrong.
TALKS = (
    "Foreign Minister Hana Seo called on all parties to resume the negotiations. "
    "Pyongyang has refused to return to the talks. "
    "The Security Council imposed new sanctions on Monday. "
    "Sanctions alone will not bring anyone back, said envoy Tomas Brill."
)


@pytest.mark.parametrize(
    ("check", "claim", "fires"),
    [
        (antonym_flip, "Pyongyang agreed to return to the talks.", True),
        (antonym_flip, "Pyongyang has refused to return to the talks.", False),
        (antonym_flip, "The Security Council lifted new sanctions on Monday.", True),
        (antonym_flip, "The Security Council imposed new sanctions on Monday.", False),
        (split_subject, "Hana Seo refused to return to the talks.", True),  # her words, its verb
        (split_subject, "Hana Seo called for new negotiations.", False),
        (
            split_subject,
            "Pyongyang has refused to resume the negotiations.",
            False,
        ),  # same sentence
        (split_subject, "The Security Council imposed sanctions.", False),
        (
            split_subject,
            "Kim Jong Un refused to return.",
            False,
        ),  # a name the source lacks: not a splice
        (attribution_mismatch, "Hana Seo said sanctions alone will not bring anyone back.", True),
        (attribution_mismatch, "Brill said sanctions alone will not bring anyone back.", False),
    ],
    ids=[
        "agreed-refused",
        "refused-kept",
        "imposed-lifted",
        "imposed-kept",
        "splice",
        "own-verb",
        "one-sentence",
        "council",
        "absent-name",
        "wrong-speaker",
        "right-speaker",
    ],
)
def test_the_turns_a_summarizer_gets_wrong(check, claim, fires):
    assert bool(check(claim, TALKS)) is fires


@pytest.mark.parametrize(
    ("check", "claim", "fires"), CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)]
)
def test_check(check, claim, fires):
    assert bool(check(claim, SOURCE)) is fires


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        (
            '"It scared me," Ibarra-Stone said.',
            '"It scared me," Ibarra-Stone said after the race.',
            False,
        ),
        ('"It scared me," Okafor said.', '"It scared me," Ibarra-Stone said after the race.', True),
        ('"It scared me," Okafor said.', 'Okafor finished second. "It scared me," he said.', True),
        ('"It scared me," Okafor said.', '"It scared me," said Ruth Okafor.', False),
    ],
    ids=["hyphenated-name", "other-speaker", "pronoun-speaker-elsewhere", "said-before-name"],
)
def test_attribution_needs_the_speaker_in_the_quoting_sentence(claim, source, fires):
    assert bool(attribution_mismatch(claim, source)) is fires


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Rice will arrive on Friday.", True),
        ("Rice will arrive Thursday.", False),
        ("The forum meets on Friday.", False),
        ("Rice will arrive to meet the ministers.", False),
    ],
    ids=["day-borrowed", "same-day", "other-sentence-day", "no-day"],
)
def test_a_date_borrowed_from_another_sentence(claim, fires):
    source = "Rice will arrive Thursday to meet the ministers. The forum meets on Friday."
    assert bool(date_mismatch(claim, source)) is fires
