"""Compensation."""
