"""The supervision API: /api/v1/supervision/… (one router; each area adds its operations)."""

from ninja import Router

router = Router(tags=["supervision"])
