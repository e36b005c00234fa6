"""REST endpoints of renewals."""

from ninja import Router

router = Router()
