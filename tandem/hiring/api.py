"""REST endpoints of hiring and onboarding."""

from ninja import Router

router = Router()
