"""REST endpoints of whitespace."""

from ninja import Router

router = Router()
