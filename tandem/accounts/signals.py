"""Signals the accounts app sends; the floors above listen without the accounts app knowing
them."""

from django.dispatch import Signal

# Sent after accounts or contacts were written in bulk (past the ORM's save signals), with
# `accounts`: the ids of the accounts written, or whose contacts were.
accounts_written = Signal()
