"""The conflicts page's extensions: the apps above add their findings here (core/pages.py)."""

from tandem.core.pages import PageExtensions

conflicts_page = PageExtensions()
