import os

from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    """A production deployment must take its secret key from the environment, never from var/."""
    if not settings.DEBUG and not os.environ.get("DJANGO_SECRET_KEY"):
        return [Error("DJANGO_SECRET_KEY is not set in the environment.", id="prokuratura.E001")]
    return []


# holidays < 0.105 still makes 2026-08-31 a day off, which the 2026 constitutional change ended (core.calendar).
MIN_HOLIDAYS_VERSION = (0, 105)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(c for c in piece if c.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


@register()
def holidays_package_is_recent(app_configs, **kwargs):
    import holidays

    if _version_tuple(holidays.__version__) < MIN_HOLIDAYS_VERSION:
        return [
            Error(
                f"The holidays package {holidays.__version__} is too old for Kazakhstan's calendar.",
                hint="Install holidays >= 0.105 (requirements.lock).",
                id="prokuratura.E002",
            )
        ]
    return []


HISTORY_FIELDS = ("step", "from_status", "to_status", "by", "by_system", "at", "reason")


@register()
def lifecycles_are_complete(app_configs, **kwargs):
    """Every declared lifecycle (each app's `transitions.py`) names a service, form and API input that exist,
    fields its model has, and a history table with the kernel's columns (core.lifecycle)."""
    import inspect

    from django.core.exceptions import FieldDoesNotExist
    from django.utils.module_loading import autodiscover_modules

    from .lifecycle import LIFECYCLES

    autodiscover_modules("transitions")
    errors = []

    def error(where, message):
        errors.append(Error(f"{where}: {message}", id="prokuratura.E003"))

    for label, lifecycle in LIFECYCLES.items():
        model = lifecycle.model
        for name in (*lifecycle.tracked_fields, lifecycle.status_field, lifecycle.version_field):
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                error(label, f"the model has no field {name!r}")
        if lifecycle.deadline_field and lifecycle.deadline_field not in lifecycle.tracked_fields:
            error(label, f"the deadline field {lifecycle.deadline_field!r} is not tracked (audited)")
        history_fields = {f.name for f in lifecycle.history._meta.get_fields()}
        for name in (*HISTORY_FIELDS, lifecycle.history_fk):
            if name not in history_fields:
                error(label, f"the history table {lifecycle.history.__name__} has no field {name!r}")
        for step in lifecycle.steps:
            where = f"{label}.{step.name}"
            for kind, path in (("service", step.service), ("form", step.form), ("schema", step.schema)):
                if not path:
                    continue
                try:
                    found = getattr(
                        step, {"service": "service_func", "form": "form_class"}.get(kind, "schema_class")
                    )
                except ImportError as exc:
                    error(where, f"the {kind} {path!r} cannot be imported ({exc})")
                    continue
                if kind == "service":
                    params = inspect.signature(found).parameters
                    missing = {"by", lifecycle.record_name, "request"} - set(params)
                    if missing and not any(p.kind == p.VAR_KEYWORD for p in params.values()):
                        error(where, f"the service takes no {sorted(missing)}")
    return errors
