import pytest

TEXT = (
    "The council voted 6-3 to buy two electric ferries. They cost $18.4 million, and the "
    "state pays 60 percent. The mayor resigned in protest."
)


def test_verify_checks_each_claim_against_the_source(client, ferry_text):
    response = client.post("/v1/verify", json={"source": ferry_text, "text": TEXT})
    assert response.status_code == 200, response.text
    result = response.json()
    source = client.get(f"/v1/articles/{result['source_id']}").json()
    # A shortened copy of one of the story's sentences (words dropped, none added: supported), a
    # reworded one ("They", "pays"), and one sentence it never says.
    assert [c["verdict"] for c in result["claims"]] == ["supported", "uncertain", "uncertain"]
    for claim in result["claims"]:
        assert TEXT[claim["start"] : claim["end"]] == claim["text"]
        for citation in claim["citations"]:
            assert source["text"][citation["start"] : citation["end"]] == citation["quote"]
    assert "voted 6-3" in result["claims"][0]["citations"][0]["quote"]
    assert result["validation"] == {
        "status": "partial",
        "claims": 3,
        "supported": 1,
        "uncertain": 2,
        "unsupported": 0,
        "dropped_citations": [],
        "removed": 0,
    }


def test_a_stored_source_by_id(client, ferry_text):
    article_id = client.post("/v1/articles", json={"text": ferry_text}).json()["id"]
    result = client.post(
        "/v1/verify", json={"source_id": article_id, "text": "The ferries will cost $18.4 million."}
    ).json()
    assert result["source_id"] == article_id and result["claims"][0]["verdict"] == "supported"


def test_clauses_joined_by_and_are_checked_apart(client, ferry_text):
    text = "The council voted 6-3 on Tuesday to buy the ferries, and the mayor then resigned from office."
    result = client.post("/v1/verify", json={"source": ferry_text, "text": text}).json()
    assert [c["verdict"] for c in result["claims"]][1] != "supported"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "A claim."}, 422),
        ({"source": "A source.", "source_id": "x", "text": "A claim."}, 422),
        ({"source": "A source.", "text": ""}, 400),
        ({"source_id": "0" * 32, "text": "A claim."}, 404),
        ({"source": "   ", "text": "A claim."}, 422),
    ],
    ids=["no-source", "two-sources", "empty-text", "unknown-source", "blank-source"],
)
def test_bad_verify_requests_are_problem_details(client, body, status):
    response = client.post("/v1/verify", json=body)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
