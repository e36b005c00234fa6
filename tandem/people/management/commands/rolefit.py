"""`tandem rolefit`: the role-fit self-assessment in a terminal, or from an answers file.

tandem rolefit                          asks each question in the terminal
tandem rolefit --answers answers.json   {"work_style": "alone_deep", "strengths": [...]}
tandem rolefit --format json            the result and its explanation as JSON
"""

import json
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.commands import TandemCommand, language_from_environment
from tandem.core.errors import DomainError
from tandem.people.models import QuestionKind
from tandem.people.selectors import current_questionnaire
from tandem.people.serializers import explanation_data
from tandem.people.services import explain, role_name, take_role_fit

HELP = gettext_lazy(
    "Which role suits you, Key Account Manager or Sales Manager? Answers the role-fit "
    "questionnaire in the terminal or from a JSON file and explains the result."
)


class Command(TandemCommand):
    help = HELP
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--answers",
            metavar="FILE",
            help=str(_("A JSON file: question code → answer code (a list for several).")),
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language", choices=["en", "de"], help=str(_("Default: the terminal's language."))
        )

    def handle(self, *args, **options):
        language = options["language"] or language_from_environment() or "en"
        with translation.override(language):
            self._run(options)

    def _run(self, options):
        questionnaire = current_questionnaire()
        if questionnaire is None:
            raise CommandError(_("No questionnaire has been published yet."))
        if options["answers"]:
            path = Path(options["answers"])
            try:
                answers = json.loads(path.read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(
                    _("Cannot read {path}: {error}").format(path=path, error=error.strerror)
                ) from None
            except json.JSONDecodeError as error:
                raise CommandError(
                    _("{path} is not valid JSON: {error}").format(path=path, error=error.msg)
                ) from None
        else:
            # With --format json, stdout carries only the JSON: the questions go to stderr.
            self.prompt_out = self.stdout if options["format"] == "text" else self.stderr
            answers = self._ask(questionnaire, options.get("stdin") or sys.stdin)
        try:
            result = take_role_fit(answers, acting_user=None, questionnaire=questionnaire)
        except DomainError as error:
            where = f"{error.field}: " if error.field else ""
            raise CommandError(f"{where}{error.message}") from None
        explanation = explain(result)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(explanation_data(explanation), ensure_ascii=False, indent=2)
            )
        else:
            self._print(explanation)

    def _ask(self, questionnaire, stdin) -> dict:
        answers = {}
        for number, question in enumerate(questionnaire.questions.all(), 1):
            options = list(question.options.all())
            several = question.kind == QuestionKind.SEVERAL
            self.prompt_out.write(f"\n{number}. {question.label}")
            for index, option in enumerate(options, 1):
                self.prompt_out.write(f"   {index}) {option.label}")
            prompt = (
                _("Numbers, separated by commas (empty for none): ") if several else _("Number: ")
            )
            while True:
                self.prompt_out.write(prompt, ending="")
                self.prompt_out.flush()
                line = stdin.readline()
                if not line:
                    raise CommandError(_("The answers ended before the last question."))
                chosen = self._parse(line, len(options), several)
                if chosen is not None:
                    break
                self.prompt_out.write(
                    _("Please answer with a number from 1 to {n}.").format(n=len(options))
                )
            codes = [options[i - 1].code for i in chosen]
            answers[question.code] = codes if several else codes[0]
        return answers

    @staticmethod
    def _parse(line: str, count: int, several: bool) -> list[int] | None:
        parts = [part.strip() for part in line.replace(";", ",").split(",") if part.strip()]
        if not parts:
            return [] if several else None
        if not several and len(parts) != 1:
            return None
        try:
            numbers = [int(part) for part in parts]
        except ValueError:
            return None
        if not all(1 <= n <= count for n in numbers):
            return None
        return list(dict.fromkeys(numbers))

    def _print(self, e) -> None:
        write = self.stdout.write
        write("")
        write(e.headline)
        write(e.no_better_role)
        write(
            _(
                "Points: Key Account Manager {kam}, Sales Manager {manager}; "
                "lean {lean} ({clarity})."
            ).format(
                kam=e.score.kam_points,
                manager=e.score.sales_manager_points,
                lean=e.score.lean,
                clarity=e.result.get_clarity_display(),
            )
        )
        write("")
        write(_("Why:"))
        for c in e.contributions:
            write(
                f"- {c.question.label} {c.option.label} (+{c.option.kam_points} KAM, "
                f"+{c.option.sales_manager_points} SM): {c.option.reason_label}"
            )
        for role in e.roles:
            write("")
            write(role_name(role))
            if e.competencies.get(role):
                write(_("Competencies to develop:"))
                for competency in e.competencies[role]:
                    write(f"- {competency.label}")
            if e.paths.get(role):
                write(_("The path to the role:"))
                write(" → ".join(step.label for step in e.paths[role]))
        write("")
        write(
            _("Result {token} (questionnaire version {version}).").format(
                token=e.result.token, version=e.result.questionnaire.version
            )
        )
