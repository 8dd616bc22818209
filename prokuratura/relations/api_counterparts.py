"""API: counterparts (filled in by its owner)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["relations"])
