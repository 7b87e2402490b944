"""Expected answer types, and when a sentence gives one (or only seems to)."""

import pytest

from service.domain.verification.answer_types import (
    AGE,
    ANY,
    DATE,
    DURATION,
    MONEY,
    NAME,
    NUMBER,
    PHONE,
    PLACE,
    REASON,
    counted,
    expected_type,
    gives,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many points did Nia Fontaine score?", NUMBER),
        ("What share of voters turned out?", NUMBER),
        ("How much did the company earn last year?", MONEY),
        ("What is the mayor's salary?", MONEY),
        ("What did the restoration cost?", MONEY),
        ("What is Halvorsen Robotics valued at?", MONEY),
        ("How long will the bridge be closed?", DURATION),
        ("How quickly must companies report a breach?", DURATION),
        ("How old is the mayor-elect?", AGE),
        ("What time did the meeting end?", DATE),
        ("When does shipping start?", DATE),
        ("Who coaches the team?", NAME),
        ("Which engineering firm did the farm hire?", NAME),
        ("Besides Ray Dubois, which council member voted no?", NAME),
        ("What is the name of the aunt she joined?", NAME),
        ("Why did the mayor resign?", REASON),
        ("Where was she born?", PLACE),
        ("What phone number should customers call?", PHONE),
        # Must not fire:
        ("Which charges did the jury clear him of?", ANY),  # charges have no proper names
        ("What did the mayor say about the budget?", ANY),  # a statement, neither a name nor money
        ("How did the hackers get in?", ANY),
        ("How often are lagoons inspected?", ANY),  # "once every few years" holds no number
    ],
    ids=[
        "how-many",
        "what-share",
        "how-much-earn",
        "salary",
        "what-did-cost",
        "valued-at",
        "how-long",
        "how-quickly",
        "how-old",
        "what-time",
        "when",
        "who",
        "which-firm",
        "which-after-a-comma",
        "name-of",
        "why",
        "where",
        "phone-number",
        "which-charges-not-name",
        "what-did-the-mayor-say-not-name",
        "how-did-not-typed",
        "how-often-not-number",
    ],
)
def test_expected_type(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many points did Nia Fontaine score?", "points"),
        ("How many vaccine doses will be available?", "doses"),
        ("How many utilities use the company's drones?", "utilities"),  # not the verb after it
        ("How many of the patients had no dose?", "patients"),
        ("How many fish died in the spill?", "fish"),
        ("How much did it cost?", None),
    ],
    ids=["noun", "compound-noun", "verb-follows", "of-the", "no-plural-s", "not-how-many"],
)
def test_counted_noun(question, noun):
    assert counted(question) == noun


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Which engineering firm did the farm hire?",
            "He said the farm hired an engineering firm to assess its two other lagoons.",
            False,
        ),
        (
            "Which company did the accountant trace the money to?",
            "The accountant traced transfers to a company called Ridgeline Advisory Group.",
            True,
        ),
        (
            "Which analyst commented on the closure?",
            '"It is tough," said D. L. Marsh, a transportation analyst at Carrow & Finch.',
            True,
        ),
        (
            "Which group took credit for the attack?",
            "A criminal group calling itself Ashfall claimed responsibility for the attack.",
            True,
        ),
        (
            "What was the name of the aunt she came to join?",
            "She came to the U.S. in 1953 to join an aunt in Pennsylvania.",
            False,
        ),
        (
            "Which spring marathon will she run next?",
            "She plans to start training for a spring marathon in two weeks.",
            False,
        ),
        (
            "Which three other lakes is the team coring?",
            "Her group has begun coring three other lakes in Minnesota and Wisconsin.",
            False,
        ),
        (
            "Which charges did the jury clear him of?",
            "Jurors acquitted him on two forgery counts.",
            True,
        ),
        (
            "Which hospital is treating the children?",
            "AVERY, Texas — Two children have been hospitalized with measles.",
            False,
        ),
        (
            "Who is Lang's defense lawyer?",
            "The defense argued that Lang had relied on the advice of others.",
            False,
        ),
    ],
    ids=[
        "indefinite-firm",
        "a-company-called",
        "apposed-analyst",
        "calling-itself",
        "an-aunt",
        "which-any-indefinite",
        "three-other-lakes",
        "focus-absent-still-answers",
        "dateline-is-no-name",
        "possessive-name-is-the-question-s",
    ],
)
def test_names_and_the_indefinite_near_miss(question, sentence, expected):
    assert gives(sentence, expected_type(question), question) is expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "How many points did Nia Fontaine score?",
            "Reserve guard Nia Fontaine forced two turnovers in the final three minutes.",
            False,
        ),
        (
            "How many points did Nia Fontaine score?",
            "Fontaine scored 12 points off the bench.",
            True,
        ),
        (
            "How many seats does the theater have?",
            "The Larkspur, a 1,150-seat movie palace, reopened.",
            True,
        ),
        ("How many of the 14 patients were sick?", "Officials said 14 patients were sick.", False),
        (
            "When did the worst drought start?",
            "The worst case may be far outside our gauges.",
            False,
        ),
        ("When did the worst drought start?", "The most severe began in May 1150.", True),
        ("How old was she when she died?", "She was 91.", True),
        (
            "Where does the town get its drinking water?",
            "The town draws its water from wells.",
            True,
        ),
        (
            "Where does the town get its drinking water?",
            "The town's water is safe to drink.",
            False,
        ),
        (
            "What phone number should customers call?",
            "The call center is open from 7 a.m. to 9 p.m. daily.",
            False,
        ),
        ("What phone number should customers call?", "Customers can call 1-800-555-0199.", True),
        ("Why did the mayor not run again?", "Mayor Okafor did not seek a third term.", False),
        (
            "Why did the mayor not run again?",
            "Okafor did not run again because of his health.",
            True,
        ),
        (
            "How long can it take to process one meter of sediment?",
            "A single meter of sediment can take a graduate student most of a semester.",
            True,
        ),
    ],
    ids=[
        "count-of-something-else",
        "count-of-the-noun",
        "hyphenated-count",
        "number-already-asked",
        "may-the-verb-is-no-date",
        "month-and-year",
        "was-91",
        "from-wells",
        "no-place",
        "no-phone-number",
        "phone-number",
        "no-reason",
        "because",
        "a-semester",
    ],
)
def test_numbers_dates_places_and_reasons(question, sentence, expected):
    assert gives(sentence, expected_type(question), question) is expected
