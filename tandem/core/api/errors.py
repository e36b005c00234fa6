"""One shape for every error the API answers, in the caller's language.

Invalid input is answered with status 422 and a list of problems, one per field:

    {"detail": [{"loc": ["body", "value"], "msg": "Must be at least 0.", "type": "..."}]}

`loc` names where the problem is: `["body", FIELD]` for a field of the JSON body, `["query",
PARAM]` for a query parameter, `["path", PARAM]` for a part of the address, and `["body"]` for a
problem of the whole request. Pydantic's type errors, the model's validation and the business
rules of the services (`DomainError`) all come out in this shape; `msg` is translated by the
request's `Accept-Language` (English and German). Other errors are `{"detail": "message"}` with
status 401 (no or bad credentials), 403 (not allowed) or 404 (not found or not visible).

Two people editing one record: accounts, contacts and deals carry a `version`, a number that
grows with every save. Send the `version` you read with a PATCH; if someone saved the record
since, the answer is 409 and nothing is changed, in the same shape as a 422:

    {"detail": [{"loc": ["body", "version"], "msg": "Someone else changed this record
    since you opened it.", "type": "stale"}]}

Read the record again, and send your change with its new version. A PATCH without `version`
is applied to whatever is stored now.

A change to one's own pay (winning one's own deal above the company's threshold, raising the
value of one's own won deal, one's own or one's own team's quota) waits for a second person:
it is answered with 202 and the pending approval, and applied only when the asker's Sales
Manager, the Head of Sales or an admin approves it (`/api/approvals`).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema

from tandem.core.errors import DomainError, StaleRecord

BODY = "body"
# Body parameters of every endpoint are called `payload`; the caller never sees that name.
PAYLOAD_PARAM = "payload"

# Pydantic's error types, in words a user understands (pydantic speaks English only).
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "float_parsing": gettext_lazy("Enter a number."),
    "float_type": gettext_lazy("Enter a number."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "decimal_max_digits": gettext_lazy("Enter a number with at most {max_digits} digits."),
    "decimal_max_places": gettext_lazy(
        "Enter a number with at most {decimal_places} decimal places."
    ),
    "decimal_whole_digits": gettext_lazy("This number is too large."),
    "greater_than_equal": gettext_lazy("Must be at least {ge}."),
    "greater_than": gettext_lazy("Must be greater than {gt}."),
    "less_than_equal": gettext_lazy("Must be at most {le}."),
    "less_than": gettext_lazy("Must be less than {lt}."),
    "string_type": gettext_lazy("Enter a text."),
    "string_too_long": gettext_lazy("Enter at most {max_length} characters."),
    "string_too_short": gettext_lazy("Enter at least {min_length} characters."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "bool_type": gettext_lazy("Enter true or false."),
    "date_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": gettext_lazy("Enter a valid date and time (YYYY-MM-DDTHH:MM:SS+00:00)."),
    "datetime_from_date_parsing": gettext_lazy(
        "Enter a valid date and time (YYYY-MM-DDTHH:MM:SS+00:00)."
    ),
    "datetime_type": gettext_lazy("Enter a valid date and time (YYYY-MM-DDTHH:MM:SS+00:00)."),
    "enum": gettext_lazy("Choose one of: {expected}."),
    "literal_error": gettext_lazy("Choose one of: {expected}."),
    "list_type": gettext_lazy("Enter a list."),
    "model_attributes_type": gettext_lazy("Enter an object."),
    "dict_type": gettext_lazy("Enter an object."),
    "model_type": gettext_lazy("Enter an object."),
    "extra_forbidden": gettext_lazy("Unknown field."),
    "json_invalid": gettext_lazy("The request body is not valid JSON."),
}


def problem(loc: list, msg, type_: str = "invalid") -> dict:
    return {"loc": loc, "msg": str(msg), "type": type_}


def _clean_loc(loc) -> list:
    loc = list(loc)
    if len(loc) >= 2 and loc[0] == BODY and loc[1] == PAYLOAD_PARAM:
        del loc[1]
    return loc


def from_pydantic(errors: list[dict]) -> list[dict]:
    """Ninja's list of pydantic errors, with our `loc` and translated messages."""
    result = []
    for error in errors:
        template = PYDANTIC_MESSAGES.get(error.get("type", ""))
        if template is None:
            msg = error.get("msg", "")
        else:
            context = {key: value for key, value in (error.get("ctx") or {}).items()}
            try:
                msg = str(template).format(**context)
            except (KeyError, IndexError):
                msg = error.get("msg", "")
        result.append(problem(_clean_loc(error.get("loc", [BODY])), msg, error.get("type", "")))
    return result


def from_model_validation(exc: ModelValidationError) -> list[dict]:
    """A model's ValidationError (from full_clean) as one problem per message and field."""
    if hasattr(exc, "error_dict"):
        result: list[dict] = []
        for field, errors in exc.message_dict.items():
            loc = [BODY] if field == NON_FIELD_ERRORS else [BODY, field]
            result.extend(problem(loc, message, "invalid") for message in errors)
        return result
    return [problem([BODY], message, "invalid") for message in exc.messages]


def from_stale_record(exc: StaleRecord) -> list[dict]:
    return [problem([BODY, "version"], exc.message, "stale")]


def from_domain_error(exc: DomainError) -> list[dict]:
    loc = [BODY, exc.field] if exc.field else [BODY]
    return [problem(loc, exc.message, "domain")]


class InvalidInput(Exception):
    """Raised by the API layer with every problem of a request (e.g. each bad filter of a
    list's query), answered with 422."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(str(each["msg"]) for each in problems))
        self.problems = problems


class FieldError(InvalidInput):
    """One field's problem (e.g. a reference to an invisible account)."""

    def __init__(self, field: str, message, *, source: str = BODY):
        super().__init__([problem([source, field], message, "invalid")])


# What a reference to a row the caller cannot see (or that does not exist) is answered with.
UNKNOWN_REFERENCE = {
    "account": gettext_lazy("There is no account with this id that you can see."),
    "user": gettext_lazy("There is no user with this id that you can assign."),
    "deal": gettext_lazy("There is no deal with this id that you can see."),
    "contact": gettext_lazy("There is no contact with this id that you can see."),
    "product": gettext_lazy("There is no product with this id."),
    "stage": gettext_lazy("There is no stage with this code."),
    "channel": gettext_lazy("There is no sales channel with this code."),
    "sector": gettext_lazy("There is no sector with this code."),
}


def unknown_reference(field: str, kind: str, *, source: str = BODY) -> FieldError:
    return FieldError(field, UNKNOWN_REFERENCE[kind], source=source)


def bad_ordering(allowed) -> FieldError:
    return FieldError(
        "ordering",
        _("Order by one of: {fields}.").format(fields=", ".join(allowed)),
        source="query",
    )


class ProblemSchema(Schema):
    loc: list[str | int] = Field(description='Where: ["body", field], ["query", parameter]…')
    msg: str = Field(description="What is wrong, in the caller's language.")
    type: str


class InvalidInputSchema(Schema):
    detail: list[ProblemSchema]


class MessageSchema(Schema):
    detail: str


# The error responses every endpoint may give, for the OpenAPI schema.
ERROR_RESPONSES = {
    401: MessageSchema,
    403: MessageSchema,
    404: MessageSchema,
    422: InvalidInputSchema,
}

# A change that names the version it was made on (see above) may also be answered with 409.
CHANGE_RESPONSES = {**ERROR_RESPONSES, 409: InvalidInputSchema}
