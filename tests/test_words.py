"""The one word module: words are letters of any script, and every part of the domain reads
them the same way."""

from pathlib import Path

import pytest

from service.domain.words import WORD, content_words, letter_words, lower_words, reader_words, stems

SERVICE = Path(__file__).parent.parent / "service"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Zürich voted", ["Zürich", "voted"]),
        ("Ñuñoa's mayor", ["Ñuñoa's", "mayor"]),
        ("Αθήνα and Москва", ["Αθήνα", "and", "Москва"]),
        ("O'Brien paid 7,020 in 2024", ["O'Brien", "paid", "7,020", "in", "2024"]),
    ],
    ids=["latin-accents", "apostrophe", "greek-cyrillic", "name-and-numbers"],
)
def test_a_word_is_letters_of_any_script_or_a_number(text, words):
    assert WORD.findall(text) == words


def test_letter_words_leave_numbers_out_and_straighten_apostrophes():
    assert letter_words("Okafor’s 3 ferries") == ["Okafor's", "ferries"]
    assert lower_words("Zürich ZÜRICH") == {"zürich"}


def test_stems_keep_words_of_other_scripts_whole():
    assert stems("Müller voted in Zürich") == {"müller", "vote", "in", "zürich"}


@pytest.mark.parametrize("read", [content_words, reader_words], ids=["content", "reader"])
def test_content_words_of_any_script_are_kept(read):
    assert read("The Ñuñoa council met in Zürich") == ["ñuñoa", "council", read("met")[0], "zürich"]


def test_retrieval_reads_words_of_any_script():
    """An ASCII-only word regex found no word at all in a Greek question, and "Zürich" was
    "z" and "rich"."""
    from service.domain.reading.article import build_article
    from service.domain.reading.retrieval import search

    article = build_article(
        "Rich donors paid for the school. The bridge in Zürich opened in 2021. "
        "Η γέφυρα της Αθήνας άνοιξε χθες."
    )
    assert [h.sentence.text[:10] for h in search(article, "Zürich?")] == ["The bridge"]
    assert [h.sentence.text[:10] for h in search(article, "γέφυρα Αθήνας")] == ["Η γέφυρα τ"]


def test_only_the_word_module_stems():
    users = [
        p.relative_to(SERVICE) for p in SERVICE.rglob("*.py") if "PorterStemmer" in p.read_text()
    ]
    assert users == [Path("domain/words.py")]
