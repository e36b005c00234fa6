"""Coaching."""
