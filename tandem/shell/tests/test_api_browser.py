import json
import re

import pytest

from tandem.users.models import ApiToken, hash_token
from testsupport.browser import log_in
from testsupport.builders import make_account

pytestmark = pytest.mark.browser


def test_the_docs_page_sends_a_real_request_with_the_session(page, org):
    mine = make_account(org.alice, name="Alpha Browser AG")
    make_account(org.bob, name="Not for Alice")
    log_in(page, "alice")
    page.goto("/api/docs")
    operation = page.locator("details.api-operation[data-method=GET][data-path='/api/accounts']")
    operation.locator("summary").click()
    operation.locator("input[name=q]").fill("alpha")
    operation.locator("button[type=submit]").click()
    result = operation.locator(".api-result pre")
    result.wait_for()
    text = result.inner_text()
    assert "→ 200" in text
    body = json.loads(text.split("\n\n", 1)[1])
    assert [row["id"] for row in body["items"]] == [mine.pk]


def test_the_docs_page_writes_with_the_csrf_token(page, org):
    log_in(page, "alice")
    page.goto("/api/docs")
    operation = page.locator("details.api-operation[data-method=POST][data-path='/api/accounts']")
    operation.locator("summary").click()
    operation.locator("textarea[name=__body]").fill('{"name": "Made in the docs"}')
    operation.locator("button[type=submit]").click()
    result = operation.locator(".api-result pre")
    result.wait_for()
    assert "→ 201" in result.inner_text()
    assert org.alice.owned_accounts.filter(name="Made in the docs").exists()


def test_creating_and_revoking_a_token_in_the_browser(page, org):
    log_in(page, "alice")
    page.goto("/api-tokens/")
    page.fill("input[name=name]", "Browser script")
    page.click("#token-create-form button[type=submit]")
    raw = page.input_value("#new-token")
    assert re.fullmatch(r"tdm_[A-Za-z0-9_-]+", raw)
    token = ApiToken.objects.get(key_hash=hash_token(raw))
    page.goto("/api-tokens/")
    assert page.locator("#new-token").count() == 0
    assert raw not in page.content()
    page.click(f"tr[data-token='{token.pk}'] button.revoke")
    page.wait_for_selector(f"tr[data-token='{token.pk}'] button.revoke", state="detached")
    token.refresh_from_db()
    assert token.revoked_at is not None
