"""Whitespace."""
