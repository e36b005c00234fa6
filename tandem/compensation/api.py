"""REST endpoints of compensation."""

from ninja import Router

router = Router()
