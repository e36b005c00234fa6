"""Hiring and onboarding."""
