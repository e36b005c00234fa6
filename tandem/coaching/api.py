"""REST endpoints of coaching."""

from ninja import Router

router = Router()
