"""REST endpoints of account plans."""

from ninja import Router

router = Router()
