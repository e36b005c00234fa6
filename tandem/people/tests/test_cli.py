import io
import json

import pytest
from django.core.management import CommandError, call_command

from tandem.people.models import RoleFitResult
from tandem.people.tests.conftest import KAM_ANSWERS, MIXED_ANSWERS, expected_points, shipped

pytestmark = pytest.mark.django_db


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    call_command("rolefit", *args, stdout=out, stderr=io.StringIO(), stdin=stdin)
    return out.getvalue()


def test_answers_from_a_file_as_text(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(KAM_ANSWERS), encoding="utf-8")
    output = run("--answers", str(path), "--language", "en")
    assert "The role of Key Account Manager clearly fits you better." in output
    assert "Neither role is better" in output
    for code, _kind, _t, _td, options in shipped().QUESTIONS:
        chosen = KAM_ANSWERS[code]
        for option in options:
            if option[0] in ([chosen] if isinstance(chosen, str) else chosen):
                assert option[5] in output
    assert RoleFitResult.objects.count() == 1


def test_answers_from_a_file_as_json(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(MIXED_ANSWERS), encoding="utf-8")
    data = json.loads(run("--answers", str(path), "--format", "json", "--language", "en"))
    assert data["clarity"] == "balanced"
    assert (data["kam_points"], data["sales_manager_points"]) == expected_points(MIXED_ANSWERS)
    assert {c["question"] for c in data["contributions"]} == set(MIXED_ANSWERS)
    assert str(RoleFitResult.objects.get().token) == data["token"]


def test_interactive_answers_from_stdin():
    # For each question the number of the first option; strengths: the first two.
    lines = []
    expected = {}
    for code, kind, _t, _td, options in shipped().QUESTIONS:
        if kind == "several":
            lines.append("1, 2")
            expected[code] = [options[0][0], options[1][0]]
        else:
            lines.append("1")
            expected[code] = options[0][0]
    stdin = io.StringIO("\n".join(lines) + "\n")
    data = json.loads(run("--format", "json", "--language", "en", stdin=stdin))
    assert (data["kam_points"], data["sales_manager_points"]) == expected_points(expected)
    assert data["leaning"] == "kam"


def test_interactive_asks_again_after_a_wrong_number():
    count = len(shipped().QUESTIONS)
    stdin = io.StringIO("9\nx\n" + "2\n" * count)
    output = run("--language", "en", stdin=stdin)
    assert output.count("Please answer with a number from 1 to 3.") == 2
    assert "Sales Manager clearly fits you better" in output


def test_interactive_in_german():
    count = len(shipped().QUESTIONS)
    output = run("--language", "de", stdin=io.StringIO("2\n" * count))
    assert shipped().QUESTIONS[0][3] in output


def test_answers_ending_early_are_an_error():
    with pytest.raises(CommandError):
        run("--language", "en", stdin=io.StringIO("1\n1\n"))
    assert not RoleFitResult.objects.exists()


def test_an_incomplete_file_names_the_question(tmp_path):
    path = tmp_path / "answers.json"
    answers = dict(KAM_ANSWERS)
    del answers["horizon"]
    path.write_text(json.dumps(answers), encoding="utf-8")
    with pytest.raises(CommandError, match="horizon"):
        run("--answers", str(path), "--language", "en")


def test_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run("--answers", str(path), "--language", "en")
