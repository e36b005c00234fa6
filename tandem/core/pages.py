"""What the floors above show on a page of a floor below.

The account page belongs to the accounts app, yet shows the account's deals, activities,
revenue, plans, renewals and insights; the deal page shows the deal's activities. The app that
owns a page declares a `PageExtensions`; each app above adds a provider to it in its
`AppConfig.ready()`, so the page's own app imports none of them (docs/architecture.md).
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any, Any, dict], dict]


class PageExtensions:
    """Providers of a page's context: `provider(user, obj, page) -> dict`, where `page` is what
    the page and the providers added before it have put in (read it, never change it)."""

    def __init__(self) -> None:
        self._providers: list[Provider] = []

    def add(self, provider: Provider) -> Provider:
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def context(self, user, obj, page: dict) -> dict:
        """`page` with what every provider adds for `obj`, in the order they were added."""
        context = dict(page)
        for provider in self._providers:
            context.update(provider(user, obj, context))
        return context
