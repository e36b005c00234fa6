"""Signals the pipeline sends; the floors above listen without the pipeline knowing them."""

from django.dispatch import Signal

# Sent after deals were written in bulk (past the ORM's save signals), with `owners` and
# `accounts`: the ids of every owner and account whose deals changed, before and after.
deals_written = Signal()
