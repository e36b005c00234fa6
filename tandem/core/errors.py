from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A business rule said no. The message is translated and meant for the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleRecord(DomainError):
    """The record was saved by someone else since the caller read it (its version moved on):
    saving now would silently overwrite their change. `current` is the version stored now."""

    def __init__(self, message, *, current: int):
        super().__init__(message, field="version")
        self.current = current


class RowsRejected(Exception):
    """A bulk write refused: the rows that break a rule, as [(line, message)]; nothing was
    written. `line` is what the caller gave the row (a file's line number), or None."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        super().__init__("; ".join(message for _line, message in problems))
        self.problems = problems


def problems_of(error: Exception) -> list[str]:
    """What a rejected row is told about a DomainError or a ValidationError, one message per
    problem (a field's problems name the field)."""
    if isinstance(error, DomainError):
        return [str(error.message)]
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [
            f"{name}: {text}" if name != "__all__" else text
            for name, texts in error.message_dict.items()
            for text in texts
        ]
    return [str(text) for text in getattr(error, "messages", [error])]
