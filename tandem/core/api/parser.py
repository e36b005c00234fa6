"""The API's parser: every request's JSON body and query are checked against the text and number
rules of tandem/core/validation.py before any schema sees them.

Why here: a schema that forgets a rule must not let PostgreSQL answer 500 for a NUL character or
a number beyond 64 bits; the narrower rules (one line, a column's range, a date's years) are the
schemas' own types."""

import json

from django.utils.translation import gettext as _
from ninja.parser import Parser

from tandem.core.api.errors import BODY, InvalidInput, problem
from tandem.core.validation import check_json


class GuardedParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        # Ninja answers any exception of this method with a 400; the API's handler of that 400
        # answers with the InvalidInput that caused it (tandem/shell/api.py).
        _refuse(check_json(data), BODY)
        return data

    def parse_querydict(self, data, list_fields, request):
        source = "query" if data is request.GET else BODY
        # A parameter of one value given twice: which one was meant is not ours to guess.
        repeated = [
            key for key, values in data.lists() if len(values) > 1 and key not in list_fields
        ]
        if repeated:
            raise InvalidInput(
                [
                    problem([source, key], _("Give this parameter once."), "repeated")
                    for key in repeated
                ]
            )
        result = super().parse_querydict(data, list_fields, request)
        # A query or form field's name and values are text: the JSON walk names the parameter.
        found = [(loc[:1], error) for loc, error in check_json(dict(data.lists()))]
        _refuse(found, source)
        return result


def _refuse(found, source: str) -> None:
    if found:
        raise InvalidInput(
            [problem([source, *loc], error.message(), error.code) for loc, error in found]
        )
