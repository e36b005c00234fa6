"""Insights and announcements."""
