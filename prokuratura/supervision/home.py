"""The supervision module's cards and panels on the home page."""

from __future__ import annotations


def register_home_cards() -> None:
    pass


def register_home_panels() -> None:
    pass
