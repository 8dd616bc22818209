"""The relations API under /api/v1/relations/…: each module mounts its router here."""

from __future__ import annotations

from ninja import Router

from .api_counterparts import router as counterparts_router
from .api_events import router as events_router
from .api_numbers import router as numbers_router
from .api_press import router as press_router
from .api_projects import router as projects_router
from .api_recommendations import router as recommendations_router

router = Router(tags=["relations"])
router.add_router("", events_router)
router.add_router("", projects_router)
router.add_router("", recommendations_router)
router.add_router("", counterparts_router)
router.add_router("", press_router)
router.add_router("", numbers_router)
