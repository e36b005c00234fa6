"""Jobs run through the worker's own code (`execute`), in the test's transaction: tries with
pauses that double, giving up, another try, the schedule's once-per-due-time, progress, and
who sees which job on the web and in the API. The queue with real workers: test_workers.py."""

import datetime
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tandem.forecast.models import ForecastSnapshot
from tandem.jobs import progress, services
from tandem.jobs.models import Job, JobStatus
from tandem.jobs.registry import KINDS, Daily, Every, job
from tandem.jobs.selectors import job_state
from testsupport.builders import PASSWORD
from testsupport.jobs import run_queued

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
CALLS: list[dict] = []


@pytest.fixture(autouse=True)
def queued(settings):
    """Jobs wait for `run_queued()` here, as for a worker: these tests look at them waiting."""
    settings.JOBS_RUN_AT_ONCE = False


@pytest.fixture(autouse=True)
def test_kinds():
    """Kinds of job for these tests only: one that fails a given number of times first."""
    CALLS.clear()

    @job("test.flaky", "Flaky", attempts=3, backoff=10)
    def flaky(progress, failures: int = 0, note: str = "") -> dict:
        CALLS.append({"note": note})
        progress.step("Counting", len(CALLS), failures + 1)
        if len(CALLS) <= failures:
            raise RuntimeError(f"failure {len(CALLS)}")
        return {"calls": len(CALLS)}

    @job("test.daily", "Daily", schedule=Daily(datetime.time(2, 30)), at_start=True)
    def daily(progress) -> None:
        CALLS.append({})

    yield
    for name in ("test.flaky", "test.daily"):
        KINDS.pop(name)


def test_a_job_runs_once_and_keeps_its_result(org):
    asked = services.enqueue("test.flaky", requested_by=org.alice, note="x")
    assert asked.status == JobStatus.QUEUED and asked.params == {"note": "x"}
    [ran] = run_queued_of(asked)
    assert (ran.status, ran.attempts, ran.result) == (JobStatus.DONE, 1, {"calls": 1})
    assert ran.started_at <= ran.finished_at
    assert services.execute(str(ran.pk)) is None  # a second delivery of the message: nothing
    assert CALLS == [{"note": "x"}]


def test_a_failing_job_is_tried_again_after_pauses_that_double():
    job_id = str(services.enqueue("test.flaky", failures=2).pk)
    assert services.execute(job_id) == 10
    failed_once = Job.objects.get(pk=job_id)
    assert (failed_once.status, failed_once.attempts) == (JobStatus.QUEUED, 1)
    assert failed_once.error == "RuntimeError: failure 1"
    assert services.execute(job_id) == 20
    assert services.execute(job_id) is None
    done = Job.objects.get(pk=job_id)
    assert (done.status, done.attempts, done.result) == (JobStatus.DONE, 3, {"calls": 3})


def test_a_job_that_keeps_failing_is_given_up_with_its_error_and_can_be_tried_again():
    [failed] = run_queued_of(services.enqueue("test.flaky", failures=5))
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 3)
    assert failed.error == "RuntimeError: failure 3"
    again = services.retry(failed)
    assert (again.kind, again.params, again.status) == ("test.flaky", {"failures": 5}, "queued")
    with pytest.raises(services.DomainError):
        services.retry(Job.objects.create(kind="test.flaky", status=JobStatus.DONE))


def run_queued_of(asked: Job) -> list[Job]:
    return [found for found in run_queued() if found.pk == asked.pk]


def test_a_job_whose_worker_died_runs_again_unless_its_tries_are_used_up():
    lost = Job.objects.create(kind="test.flaky", status=JobStatus.RUNNING, attempts=1)
    assert services.execute(str(lost.pk)) is None
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == (JobStatus.DONE, 2)
    lost_thrice = Job.objects.create(kind="test.flaky", status=JobStatus.RUNNING, attempts=3)
    services.execute(str(lost_thrice.pk))
    lost_thrice.refresh_from_db()
    assert lost_thrice.status == JobStatus.FAILED
    assert lost_thrice.error == "The worker running it was lost."
    assert len(CALLS) == 1


def test_an_unknown_kind_is_refused_when_asked_for_and_failed_when_found():
    with pytest.raises(LookupError):
        services.enqueue("test.nothing")
    gone = Job.objects.create(kind="test.gone")  # asked for by an older version
    assert services.execute(str(gone.pk)) is None
    gone.refresh_from_db()
    assert (gone.status, gone.error) == (JobStatus.FAILED, "No such kind of job any more.")


def test_progress_is_reported_while_running_and_full_when_done():
    asked = services.enqueue("test.flaky", failures=1)
    services.execute(str(asked.pk))  # fails once, after reporting 1 of 2
    Job.objects.filter(pk=asked.pk).update(status=JobStatus.RUNNING)
    state = job_state(Job.objects.get(pk=asked.pk))
    assert (state["step"], state["done"], state["total"], state["percent"]) == (
        "Counting",
        1,
        2,
        50,
    )
    services.execute(str(asked.pk))
    assert job_state(Job.objects.get(pk=asked.pk))["percent"] == 100
    progress.forget(asked.pk)
    assert progress.progress_of(asked.pk) == {}


@pytest.mark.parametrize(
    ("moment", "slot"),
    [
        (datetime.datetime(2026, 12, 7, 2, 29, 59, tzinfo=BERLIN), "2026-12-06"),
        (datetime.datetime(2026, 12, 7, 2, 30, 0, tzinfo=BERLIN), "2026-12-07"),
        (datetime.datetime(2026, 12, 7, 23, 59, tzinfo=BERLIN), "2026-12-07"),
    ],
)
def test_a_daily_due_time_is_the_last_one_passed(moment, slot):
    assert Daily(datetime.time(2, 30)).slot(moment) == slot


def test_every_few_minutes_counts_from_midnight():
    every = Every(minutes=15)
    moment = datetime.datetime(2026, 12, 7, 10, 44, 59, tzinfo=BERLIN)
    assert every.slot(moment) == "2026-12-07T10:30"
    assert every.slot(moment + datetime.timedelta(seconds=1)) == "2026-12-07T10:45"
    assert str(every.crontab()._orig_minute) == "*/15"


def test_a_scheduled_job_starts_once_per_due_time_however_many_schedulers_fire():
    first = datetime.datetime(2026, 12, 7, 2, 30, 1, tzinfo=BERLIN)
    started = [services.start_scheduled("test.daily", first) for _ in range(3)]
    late = services.start_scheduled("test.daily", first + datetime.timedelta(hours=20))
    next_day = services.start_scheduled("test.daily", first + datetime.timedelta(days=1))
    assert started[0] is not None and started[1:] == [None, None] and late is None
    assert next_day is not None
    slots = sorted(Job.objects.filter(kind="test.daily").values_list("schedule_slot", flat=True))
    assert slots == ["test.daily:2026-12-07", "test.daily:2026-12-08"]


def test_a_starting_worker_catches_up_once_with_the_day_s_work():
    first = services.start_due_at_start()
    again = services.start_due_at_start()
    assert {job.kind for job in first} >= {"test.daily", "nightly"}
    assert again == []


def test_the_day_s_work_learns_every_team_s_forecast_as_jobs_of_their_own(org):
    services.enqueue("nightly")
    ran = run_queued()
    learned = [job for job in ran if job.kind == "forecast.learn"]
    teams = {job.params["team"] for job in learned}
    assert teams == {None, org.alice.team_id, org.bob.team_id}
    assert {job.params["kind"] for job in learned} == {"month", "quarter"}
    assert all(job.status == JobStatus.DONE for job in ran), [job.error for job in ran]
    assert [job.kind for job in ran].count("keyaccounts.refresh") == 1
    assert ForecastSnapshot.objects.filter(kind="quarter").count() == 3


# --- the web and the API ----------------------------------------------------------------------


def logged_in(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("language", "running", "failed"), [("en", "Running", "Failed"), ("de", "Läuft", "Gescheitert")]
)
def test_the_job_page_shows_progress_and_the_admin_list_a_failed_job_to_try_again(
    org, language, running, failed
):
    asked = services.enqueue("test.flaky", requested_by=org.alice, failures=9)
    Job.objects.filter(pk=asked.pk).update(status=JobStatus.RUNNING)
    progress.Progress(str(asked.pk)).step("Counting", 3, 4)
    page = logged_in(org.alice, language).get(f"/jobs/{asked.pk}/").content.decode()
    assert running in page and 'value="75"' in page and "3 / 4" in page
    assert logged_in(org.bob).get(f"/jobs/{asked.pk}/").status_code == 404

    Job.objects.filter(pk=asked.pk).update(status=JobStatus.QUEUED)
    run_queued()
    listed = logged_in(org.otto, language).get("/jobs/").content.decode()
    assert failed in listed and "RuntimeError: failure" in listed
    assert f'action="/jobs/{asked.pk}/retry/"' in listed
    tried = logged_in(org.otto, language).post(f"/jobs/{asked.pk}/retry/")
    again = Job.objects.exclude(pk=asked.pk).get(kind="test.flaky")
    assert tried.status_code == 302 and tried["Location"] == f"/jobs/{again.pk}/"
    assert logged_in(org.alice).get("/jobs/").status_code == 403


def test_the_api_tells_the_asker_how_far_a_job_has_come(org, api):
    asked = services.enqueue("test.flaky", requested_by=org.alice)
    run_queued()
    answer = api("alice").get(f"/api/jobs/{asked.pk}")
    assert answer.status_code == 200
    assert answer.json()["status"] == "done" and answer.json()["percent"] == 100
    assert answer.json()["result"] == {"calls": 1}
    assert api("bob").get(f"/api/jobs/{asked.pk}").status_code == 404


def test_a_job_stuck_running_past_its_time_limit_can_be_tried_again():
    started = services.now() - datetime.timedelta(seconds=600 + 50)
    busy = Job.objects.create(kind="test.flaky", status=JobStatus.RUNNING, started_at=started)
    with pytest.raises(services.DomainError):
        services.retry(busy)  # still within its time limit (and the grace minute)
    Job.objects.filter(pk=busy.pk).update(started_at=started - datetime.timedelta(seconds=20))
    again = services.retry(Job.objects.get(pk=busy.pk))
    assert Job.objects.get(pk=busy.pk).status == JobStatus.FAILED
    assert again.status == JobStatus.QUEUED


def test_jobs_left_running_past_their_time_limit_are_tried_again_by_the_periodic_check():
    """Their worker was lost with their message (a whole worker killed on the folder broker):
    nothing else would bring them back."""
    limit = datetime.timedelta(seconds=600 + 61)  # test.flaky's time limit and a grace minute

    def running(attempts: int, ago: datetime.timedelta) -> Job:
        started = services.now() - ago
        return Job.objects.create(
            kind="test.flaky", params={"note": "lost"}, status=JobStatus.RUNNING,
            attempts=attempts, started_at=started,
        )  # fmt: skip

    lost, busy, used_up = running(1, limit), running(1, limit / 2), running(3, limit)
    [checked] = run_queued_of(services.enqueue("jobs.recover"))
    [again] = Job.objects.filter(kind="test.flaky").exclude(pk__in=[lost.pk, busy.pk, used_up.pk])
    assert checked.result == {"tried_again": [str(again.pk)]}
    for given_up in (lost, used_up):
        given_up.refresh_from_db()
        assert (given_up.status, given_up.error) == (
            JobStatus.FAILED,
            "The worker running it was lost.",
        )
    assert Job.objects.get(pk=busy.pk).status == JobStatus.RUNNING  # its worker may be at it
    again.refresh_from_db()  # run by the same worker after the check
    assert (again.status, again.attempts, again.params) == (JobStatus.DONE, 2, {"note": "lost"})
    assert services.recover_lost() == []  # once


def test_an_e_mail_goes_out_as_a_job(mailoutbox):
    asked = services.enqueue("mail.send", to=["kim@example.com"], subject="Hi", body="Text")
    [sent] = run_queued_of(asked)
    assert sent.status == JobStatus.DONE and sent.result == {"sent": 1}
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [(["kim@example.com"], "Hi", "Text")]


def test_old_jobs_are_cleared_away_but_recent_and_failed_ones_kept_longer():
    def finished(status, days):
        finished_at = services.now() - datetime.timedelta(days=days)
        return Job.objects.create(kind="test.flaky", status=status, finished_at=finished_at).pk

    kept = [finished(JobStatus.DONE, 6), finished(JobStatus.FAILED, 80)]
    gone = [finished(JobStatus.DONE, 8), finished(JobStatus.FAILED, 91)]
    made = default_storage.save("exports/test/old.csv", ContentFile(b"a\r\n"))
    Job.objects.filter(pk=gone[0]).update(result={"file": made, "rows": 1})
    [pruned] = run_queued_of(services.enqueue("jobs.prune"))
    assert pruned.result == {"done": 1, "failed": 1}
    assert set(Job.objects.filter(pk__in=kept + gone).values_list("pk", flat=True)) == set(kept)
    assert not default_storage.exists(made)
