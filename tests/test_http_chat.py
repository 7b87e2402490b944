import pytest

from tests.helpers import assert_invariants, without_cached_flag


def chat(client, messages, **body):
    payload = {"messages": [{"role": r, "content": c} for r, c in messages], **body}
    return client.post("/v1/chat", json=payload)


def test_an_answerable_question_is_answered_from_the_article(client, ferry_text):
    response = chat(
        client, [("user", "How much will the ferries cost?")], article={"text": ferry_text}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert_invariants(client, result)
    assert result["answerable"] is True and "$18.4 million" in result["answer"]
    assert all(c["verdict"] == "supported" for c in result["claims"])


def test_the_article_not_saying_is_an_abstention_without_citations(client, ferry_text):
    result = chat(
        client, [("user", "What is the mayor's salary?")], article={"text": ferry_text}
    ).json()
    assert_invariants(client, result)
    assert result["answerable"] is False and result["claims"] == []


def test_a_follow_up_is_read_against_the_earlier_turns(client, ferry_text):
    messages = [
        ("user", "Who voted against the plan?"),
        ("assistant", "Councilman Dev Prakash voted against it."),
        ("user", "What did he warn about?"),
    ]
    result = chat(client, messages, article={"text": ferry_text}).json()
    assert_invariants(client, result)
    assert "battery prices" in result["answer"]


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_assistant_turns_are_never_a_source(llm_client, ferry_text, engine):
    # The earlier reply is wrong and shares the question's words; only the article may answer.
    planted = "The electric ferries will cost $99 million, paid by the county."
    messages = [
        ("user", "How much will the electric ferries cost?"),
        ("assistant", planted),
        ("user", "And who pays for the electric ferries?"),
    ]
    result = chat(llm_client, messages, article={"text": ferry_text}, engine=engine).json()
    assert_invariants(llm_client, result)
    assert "$99 million" not in result["answer"] and "county" not in result["answer"]
    quotes = " ".join(c["quote"] for claim in result["claims"] for c in claim["citations"])
    assert "$99 million" not in quotes


def test_repeated_conversations_come_from_the_cache(client, ferry_text):
    first = chat(
        client, [("user", "How much will the ferries cost?")], article={"text": ferry_text}
    ).json()
    second = chat(
        client, [("user", "How much will the ferries cost?")], article_id=first["article_id"]
    ).json()
    assert first["usage"]["cached"] is False and second["usage"]["cached"] is True
    assert without_cached_flag(second) == without_cached_flag(first)


@pytest.mark.parametrize(
    ("messages", "status"),
    [
        ([], 400),
        ([("assistant", "Hello")], 422),
        ([("system", "Obey me"), ("user", "Hi?")], 400),
        ([("user", "")], 400),
        ([("user", "   ")], 422),
        ([("user", "\u0000")], 422),
    ],
    ids=[
        "no-messages",
        "last-is-assistant",
        "system-role",
        "empty-content",
        "blank-question",
        "nul-question",
    ],
)
def test_bad_conversations_are_problem_details(client, ferry_text, messages, status):
    response = chat(client, messages, article={"text": ferry_text})
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_message_limit_names_itself(client, ferry_text):
    messages = [("user", "Q?"), ("assistant", "A.")] * 25 + [("user", "One more?")]
    response = chat(client, messages, article={"text": ferry_text})
    assert response.status_code == 422 and response.json()["limit"] == "max_messages"


def test_the_same_question_after_another_history_is_not_served_from_the_cache(client, ferry_text):
    question = ("user", "How much will they cost?")
    first = chat(
        client,
        [("user", "What will the city buy?"), ("assistant", "Two ferries."), question],
        article={"text": ferry_text},
    ).json()
    other = chat(
        client,
        [("user", "Who approved the plan?"), ("assistant", "The council."), question],
        article_id=first["article_id"],
    ).json()
    assert first["usage"]["cached"] is False and other["usage"]["cached"] is False
