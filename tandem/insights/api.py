"""REST endpoints of insights and announcements."""

from ninja import Router

router = Router()
