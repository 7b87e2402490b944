"""Claim texts streamed while the model's JSON is still arriving."""

import json

from hypothesis import given
from hypothesis import strategies as st

from service.domain.engines.partial_json import ClaimTextStream

TEXTS = ["The fare is 4.2 million euros 💶 in total.", 'She said "no" \\ twice.', "Zürich — ok."]


def streamed(answer: str, cuts: list[int]) -> str:
    stream, out, start = ClaimTextStream(), [], 0
    for cut in sorted(set(cuts)) + [len(answer)]:
        out.append(stream.feed(answer[start:cut]))
        start = cut
    return "".join(out)


def answer_json(ascii_only: bool) -> str:
    claims = [{"text": t, "sentence_ids": [i]} for i, t in enumerate(TEXTS, start=1)]
    return json.dumps({"answerable": True, "claims": claims}, ensure_ascii=ascii_only)


def test_every_single_cut_streams_the_texts_whole():
    for ascii_only in (True, False):  # "\ud83d\udcb6" escapes, or the characters themselves
        answer = answer_json(ascii_only)
        for cut in range(len(answer) + 1):
            assert streamed(answer, [cut]) == " ".join(TEXTS), (ascii_only, cut)


@given(st.lists(st.integers(min_value=0, max_value=len(answer_json(True))), max_size=40))
def test_any_chunking_streams_the_texts_whole(cuts):
    assert streamed(answer_json(True), cuts) == " ".join(TEXTS)
