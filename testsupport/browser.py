"""The real browser in tests: Debian's Chromium driven by Playwright, and what tests do with it."""

from testsupport.builders import PASSWORD

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def log_in(page, username: str, password: str | None = None) -> None:
    """Log in through the real login form."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def htmx_settled(page) -> None:
    """Wait until htmx has wired up what it swapped in: new elements carry `htmx-added` until
    htmx processes them (after its settle delay), and until then they answer no events."""
    page.wait_for_function("() => !document.querySelector('.htmx-added, .htmx-settling')")
