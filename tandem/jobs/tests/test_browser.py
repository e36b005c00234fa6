"""The jobs pages in a real browser, in English and German: the admins' list with a failed
job's error and its button to try it again, and a job's page that follows it (htmx) until it
is done and offers its file."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail

from tandem.jobs import services
from tandem.jobs.models import Job, JobStatus
from testsupport.browser import htmx_settled, log_in
from testsupport.builders import make_account
from testsupport.serving import free_port

pytestmark = pytest.mark.browser

WORDS = {
    "en": {
        "tools": "Tools",
        "jobs": "Background jobs",
        "not done": "Not done",
        "mail": "An e-mail",
        "failed": "Failed",
        "try again": "Try again",
        "tried again": "The job is tried again.",
        "done": "Done",
        "waiting": "Waiting",
        "export": "Export of a list",
        "download": "Download the file",
        "rows": "3 rows",
        "leave": "You can leave this page: the work goes on.",
    },
    "de": {
        "tools": "Werkzeuge",
        "jobs": "Hintergrund-Jobs",
        "not done": "Nicht erledigt",
        "mail": "Eine E-Mail",
        "failed": "Gescheitert",
        "try again": "Noch einmal versuchen",
        "tried again": "Der Job wird noch einmal versucht.",
        "done": "Erledigt",
        "waiting": "Wartet",
        "export": "Export einer Liste",
        "download": "Datei herunterladen",
        "rows": "3 Zeilen",
        "leave": "Sie können diese Seite verlassen: die Arbeit geht weiter.",
    },
}


def in_language(page, language: str) -> None:
    """Switch with the layout's own language buttons (English is where a session starts)."""
    if language != "en":
        page.click(f"button[data-language={language}]")
        page.wait_for_selector(f"html[lang={language}]")


def fits(page, selector: str) -> None:
    """Nothing wider than the window, and the part within its card: longer German words
    neither push the page sideways nor out of its box."""
    widths = page.evaluate(
        """(selector) => {
            const part = document.querySelector(selector);
            const card = part.closest('.card') || document.body;
            return [document.documentElement.scrollWidth, window.innerWidth,
                    part.getBoundingClientRect().right, card.getBoundingClientRect().right];
        }""",
        selector,
    )
    page_width, window_width, part_right, card_right = widths
    assert page_width <= window_width, f"the page is {page_width} px wide in {window_width}"
    assert part_right <= card_right + 1, f"{selector} overflows its card"


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_admin_sees_a_failed_job_s_error_and_tries_it_again(page, org, settings, language):
    words = WORDS[language]
    # the mail server is down: nothing answers on its port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    asked = services.enqueue("mail.send", to=["kim@example.com"], subject="QBR", body="Agenda")
    failed = Job.objects.get(pk=asked.pk)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 5)

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "otto")
    in_language(page, language)
    page.click(f"nav.mainnav summary:has-text('{words['tools']}')")
    page.click("nav.mainnav a[data-nav='jobs:job_list']")
    page.wait_for_url("**/jobs/")
    assert page.inner_text("h1") == words["jobs"]
    assert page.locator("#job-status option:checked").text_content() == words["not done"]
    row = page.locator(f"tr[data-job='{failed.pk}']")
    assert row.get_attribute("data-status") == JobStatus.FAILED
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == words["mail"] and cells[1] == words["failed"] and cells[4] == "5"
    assert "ConnectionRefusedError" in cells[5]
    fits(page, "#jobs table")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the table scrolls in its box
    fits(page, "#jobs .table-wrap")
    page.set_viewport_size({"width": 1280, "height": 800})

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back up
    mail.outbox = []
    row.locator("button", has_text=words["try again"]).click()
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    again = Job.objects.exclude(pk=failed.pk).get(kind="mail.send")
    assert page.url.endswith(f"/jobs/{again.pk}/")
    assert words["tried again"] in page.inner_text("body")
    assert page.inner_text("h1") == words["mail"]
    page.wait_for_selector("#job-state[data-status=done]")  # at once, or at its next look
    assert page.inner_text("#job-state .job-status") == words["done"]
    assert [(m.to, m.subject) for m in mail.outbox] == [(["kim@example.com"], "QBR")]
    fits(page, "#job-state")
    page.set_viewport_size({"width": 390, "height": 844})
    fits(page, "#job-state")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto("/jobs/?status=failed")
    assert page.locator("tr[data-job]").count() == 1  # the first job stays as it failed
    page.goto("/jobs/?status=done")
    assert page.locator(f"tr[data-job='{again.pk}'] td").nth(1).inner_text() == words["done"]


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_long_export_s_page_follows_the_job_until_its_file_is_there(
    page, org, settings, tmp_path, language
):
    words = WORDS[language]
    settings.EXPORT_INLINE_ROWS = 2  # three accounts are a long export here
    settings.MEDIA_ROOT = str(tmp_path)
    settings.JOBS_RUN_AT_ONCE = False  # the export waits in the queue; the test is its worker
    for name in ("Acme", "Globex", "Initech"):
        make_account(org.alice, name=name)

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, "alice")
    page.goto("/accounts/")
    in_language(page, language)
    page.goto("/accounts/?export=csv")
    page.wait_for_url("**/jobs/*/")
    asked = Job.objects.get(kind="exports.write", requested_by=org.alice)
    assert page.inner_text("h1") == words["export"]
    assert words["leave"] in page.inner_text(".subtitle")
    assert page.get_attribute("#job-state", "data-status") == JobStatus.QUEUED
    assert page.inner_text("#job-state .job-status") == words["waiting"]
    assert page.locator("#job-state progress:not([value])").count() == 1  # no way to tell yet
    fits(page, "#job-state")

    assert services.execute(str(asked.pk)) is None  # what the worker does with its message
    page.wait_for_selector("#job-state[data-status=done]")  # the page asked again by itself
    htmx_settled(page)
    assert page.inner_text("#job-state .job-status") == words["done"]
    assert page.get_attribute("#job-state progress", "value") == "100"
    assert words["rows"] in page.inner_text("#job-state")
    assert page.locator("#job-state[hx-get]").count() == 0  # done: it stops asking
    fits(page, "#job-state")
    link = page.locator("#job-download")
    assert link.inner_text() == words["download"]
    with page.expect_download() as downloading:
        link.click()
    text = Path(downloading.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["name"] for row in rows) == ["Acme", "Globex", "Initech"]
