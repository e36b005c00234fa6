"""The account page's extensions: the apps above add their panels' data here (core/pages.py)."""

from tandem.core.pages import PageExtensions

account_page = PageExtensions()
