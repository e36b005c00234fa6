"""Signals the revenue app sends; the floors above listen without the revenue app knowing them."""

from django.dispatch import Signal

# Sent when revenue lines are written in bulk (past the ORM's save signals), inside the writing
# transaction, with `accounts`: the ids of the accounts whose lines are written.
revenue_written = Signal()
