"""/api/insights: the feed, posting, editing and deleting, with the web's rules."""

from tandem.insights.models import Post
from testsupport.api import send


def test_post_read_edit_delete(org, api, world):
    created = send(
        api("kim"),
        "post",
        "/api/insights",
        {
            "kind": "insight",
            "title": "Kilo wants dashboards",
            "body": "Ask their COO.",
            "accounts": [world["kims"].pk],
            "products": ["P"],
            "sectors": ["manufacturing"],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["accounts"], body["products"], body["sectors"]) == (
        [world["kims"].pk],
        ["P"],
        ["manufacturing"],
    )
    pk = body["id"]
    assert api("kim").get(f"/api/insights/{pk}").json()["title"] == "Kilo wants dashboards"
    # the sales side sees it (manufacturing is not their sector, but kim's account is not
    # theirs either: only alice's team would see an untagged one) -> nobody on the sales side
    assert api("alice").get(f"/api/insights/{pk}").status_code == 404
    patched = send(
        api("kim"), "patch", f"/api/insights/{pk}", {"title": "Kilo wants more", "sectors": []}
    )
    assert patched.status_code == 200 and patched.json()["sectors"] == []
    assert send(api("hanna"), "patch", f"/api/insights/{pk}", {"title": "x"}).status_code == 403
    assert send(api("hanna"), "delete", f"/api/insights/{pk}").status_code == 403
    assert send(api("kim"), "delete", f"/api/insights/{pk}").status_code == 204
    assert not Post.objects.exists()


def test_the_feed_is_scoped_and_filtered(org, api, world):
    send(api("kim"), "post", "/api/insights", {"kind": "insight", "title": "For all", "body": "x"})
    send(
        api("kim"),
        "post",
        "/api/insights",
        {"kind": "insight", "title": "Q", "body": "x", "products": ["Q"]},
    )
    send(
        api("mona"), "post", "/api/insights", {"kind": "announcement", "title": "News", "body": "x"}
    )
    titles = lambda r: [p["title"] for p in r.json()["items"]]  # noqa: E731
    assert titles(api("alice").get("/api/insights")) == ["For all"]
    assert titles(api("bob").get("/api/insights")) == ["Q", "For all"]
    assert titles(api("kim").get("/api/insights?kind=announcement")) == ["News"]
    assert titles(api("hanna").get("/api/insights?product=Q")) == ["Q"]
    assert titles(api("hanna").get("/api/insights?ordering=title")) == ["For all", "News", "Q"]
    # an unknown code is named, not answered with an empty feed
    unknown = api("hanna").get("/api/insights?product=nope")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "product"]
    assert unknown.json()["detail"][0]["msg"] == "There is no product with this code."


def test_bad_input_is_answered_with_422_per_field(org, api, world):
    cases = [
        ("kim", {"kind": "announcement", "title": "T", "body": "B"}, ["body", "kind"]),
        ("kim", {"kind": "insight", "title": " ", "body": "B"}, ["body", "title"]),
        (
            "kim",
            {"kind": "insight", "title": "T", "body": "B", "accounts": [world["bobs"].pk]},
            ["body", "accounts"],
        ),
        (
            "kim",
            {"kind": "insight", "title": "T", "body": "B", "products": ["nope"]},
            ["body", "products"],
        ),
        ("kim", {"kind": "rumour", "title": "T", "body": "B"}, ["body", "kind"]),
    ]
    for who, payload, loc in cases:
        response = send(api(who), "post", "/api/insights", payload)
        assert response.status_code == 422, (who, payload)
        assert response.json()["detail"][0]["loc"] == loc, (who, payload)
    # a rep writes no kind of post: refused for who asks (as on the web), whatever is sent
    refused = send(
        api("alice"), "post", "/api/insights", {"kind": "insight", "title": "T", "body": "B"}
    )
    assert refused.status_code == 403
    assert not Post.objects.exists()
    german = send(
        api("kim", "de"),
        "post",
        "/api/insights",
        {"kind": "announcement", "title": "T", "body": "B"},
    )
    assert german.json()["detail"][0]["msg"] == "Ankündigungen schreiben die Sales Manager."
