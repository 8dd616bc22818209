"""Supervision pages (being built)."""

urlpatterns: list = []
