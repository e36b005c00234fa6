class DomainError(Exception):
    """A business rule said no. The message is translated and meant for the user."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
