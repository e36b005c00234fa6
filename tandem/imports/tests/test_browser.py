import pytest

from tandem.imports.generic import import_table
from testsupport.browser import log_in

pytestmark = pytest.mark.browser


def test_an_admin_opens_the_imports_page_and_reads_a_rejected_run(page, org, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text("name,product,value\nBig,Warp Core,5\n", encoding="utf-8")
    import_table("deals", path, acting_user=org.otto)
    log_in(page, "otto")
    page.click("nav.mainnav summary:has-text('Tools')")
    page.click("nav.mainnav a[data-nav='imports:import_list']")
    page.wait_for_url("**/imports/")
    run = page.locator("section.import-run[data-status='rejected']")
    assert "Rejected, nothing imported" in run.inner_text()
    assert "unknown product “Warp Core”" in run.locator(".import-errors").inner_text()


def test_a_rep_has_no_imports_entry(page, org):
    log_in(page, "alice")
    assert page.locator("nav.mainnav a[data-nav='imports:import_list']").count() == 0
