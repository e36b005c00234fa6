"""Renewals."""
