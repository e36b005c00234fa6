import pytest

from tandem.catalog.models import Product, ProductAlias
from testsupport.builders import make_account, make_deal, make_product


@pytest.mark.parametrize("username", ["alice", "mona", "kim", "hanna"])
def test_only_admins_change_the_catalogue(org, as_user, username):
    product = make_product("GTX-1", name="GTX Basic")
    client = as_user(username)
    created = client.post(
        "/api/products", {"code": "NEW", "name": "New"}, content_type="application/json"
    )
    assert created.status_code == 403
    changed = client.patch(
        f"/api/products/{product.pk}", {"name": "Renamed"}, content_type="application/json"
    )
    assert changed.status_code == 403
    assert client.delete(f"/api/products/{product.pk}").status_code == 403
    assert list(Product.objects.values_list("code", "name")) == [("GTX-1", "GTX Basic")]
    assert client.get(f"/api/products/{product.pk}").status_code == 200


def test_admin_creates_changes_and_deletes_a_product(org, as_user):
    client = as_user("otto")
    created = client.post(
        "/api/products",
        {"code": "MG-ADV", "name": "MG Advanced", "series": "MG", "list_price": "3393"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    product = Product.objects.get(pk=created.json()["id"])
    assert (product.series, str(product.list_price)) == ("MG", "3393.00")
    ProductAlias.objects.create(product=product, alias="MGAdvanced")
    read = client.get(f"/api/products/{product.pk}").json()
    assert read["aliases"] == ["MGAdvanced"]
    changed = client.patch(
        f"/api/products/{product.pk}", {"list_price": "3500.00"}, content_type="application/json"
    )
    assert changed.status_code == 200
    product.refresh_from_db()
    assert str(product.list_price) == "3500.00"
    assert client.delete(f"/api/products/{product.pk}").status_code == 204
    assert not Product.objects.filter(pk=product.pk).exists()


def test_a_product_with_deals_is_not_deleted(org, as_user):
    product = make_product()
    make_deal(org.alice, make_account(org.alice), product=product)
    response = as_user("otto").delete(f"/api/products/{product.pk}")
    assert response.status_code == 422
    assert Product.objects.filter(pk=product.pk).exists()


def test_a_duplicate_code_is_422_on_code(org, as_user):
    make_product("GTX-1")
    response = as_user("otto").post(
        "/api/products", {"code": "GTX-1", "name": "Again"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert [problem["loc"] for problem in response.json()["detail"]] == [["body", "code"]]


def test_product_filters_match_the_database(org, as_user):
    for i in range(9):
        make_product(
            f"P-{i}", name=f"{'GTX' if i % 2 else 'MG'} Model {i}", series="GTX" if i % 2 else "MG"
        )
    client = as_user("alice")
    for query, expected in [
        ("series=gtx", Product.objects.filter(series="GTX")),
        ("q=mg", Product.objects.filter(name__icontains="mg")),
        ("q=p-3", Product.objects.filter(code="P-3")),
    ]:
        body = client.get(f"/api/products?{query}").json()
        assert body["count"] == expected.count(), query
        assert {row["id"] for row in body["items"]} == set(expected.values_list("pk", flat=True))
