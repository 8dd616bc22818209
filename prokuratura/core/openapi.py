"""Unique, stable names for the OpenAPI document's `components.schemas`.

ninja builds the document one operation at a time and merges each operation's definitions into one dict, so two
classes with the same bare name (`Appeal`'s `Status` and `Instrument.Status`, two apps' `ReasonIn`) silently
overwrote each other: appeal statuses were documented as treaty statuses. Here a schema is named

- by its qualified name joined: `Instrument.Status` → `InstrumentStatus`, `KeysetPagination.Input` →
  `KeysetPaginationInput`;
- with its app's prefix (`APP_PREFIXES`) when that name, or the bare name of a top-level class, is also the name of
  another class in the document: appeals' top-level `Status` → `AppealStatus`, `ReasonIn` → `AppealReasonIn` and
  `SupervisionReasonIn`.

The names depend only on which classes the document holds, not on the order of the operations: the document is
built twice, the first time only to see every class. `ProkuraturaOpenAPISchema` then refuses (raises
`SchemaNameCollision`) when a name arrives with a different definition, so a future collision fails the suite
instead of publishing a wrong document.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from ninja.openapi.schema import OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, DefsRef

if TYPE_CHECKING:
    from ninja import NinjaAPI

# What a schema of an app gets in front of its name when the name alone would be ambiguous. Cooperation and
# relations name their own schemas with these prefixes already (CoopRequestOut, RelEventOut).
APP_PREFIXES = {
    "accounts": "Account",
    "appeals": "Appeal",
    "cooperation": "Coop",
    "core": "Core",
    "relations": "Rel",
    "reports": "Report",
    "supervision": "Supervision",
}

_GENERIC = re.compile(r"[\[\],]")

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
# What the middleware in front of every operation can answer (core.input_policy): 400 for a NUL character or
# bytes that are not UTF-8 text anywhere in the request, 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
EVERY_OPERATION_ERRORS = {400: "Bad Request"}
BODY_OPERATION_ERRORS = {413: "Request Entity Too Large"}


class SchemaNameCollision(Exception):
    """Two different definitions would be published under one component name."""


def split_core_ref(core_ref: str) -> tuple[str, str] | None:
    """`prokuratura.cooperation.models.Instrument.Status:1234` → (module, qualname); None for generic types."""
    dotted = core_ref.rsplit(":", 1)[0]
    if _GENERIC.search(dotted):
        return None
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        if module in sys.modules:
            return module, ".".join(parts[cut:])
    return "", dotted


def _key(module: str, qualname: str) -> str:
    return f"{module}.{qualname}"


def app_prefix(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "prokuratura":
        return ""
    return APP_PREFIXES.get(parts[1], parts[1].title().replace("_", ""))


def schema_names(classes: set[tuple[str, str]]) -> dict[str, str]:
    """The component name of each (module, qualname): see the module docstring for the rule."""
    by_bare: dict[str, set[tuple[str, str]]] = defaultdict(set)
    by_joined: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for module, qualname in classes:
        by_bare[qualname.rsplit(".", 1)[-1]].add((module, qualname))
        by_joined[qualname.replace(".", "")].add((module, qualname))
    names = {}
    for module, qualname in classes:
        joined = qualname.replace(".", "")
        top_level = "." not in qualname
        ambiguous = len(by_joined[joined]) > 1 or (top_level and len(by_bare[qualname]) > 1)
        prefix = app_prefix(module) if ambiguous else ""
        name = joined if joined.startswith(prefix) else prefix + joined
        names[_key(module, qualname)] = name
    return names


class ProkuraturaJsonSchema(NinjaGenerateJsonSchema):
    """ninja's generator, with the names of `schema_names`. `seen` collects the classes of a first pass."""

    names: ClassVar[dict[str, str]] = {}
    seen: ClassVar[set[tuple[str, str]] | None] = None

    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        defs_ref = super().get_defs_ref(core_mode_ref)
        core_ref, mode = core_mode_ref
        split = split_core_ref(core_ref)
        if split is None:
            return defs_ref
        if self.seen is not None:
            self.seen.add(split)
        name = self.names.get(_key(*split))
        choices = self._prioritized_defsref_choices.get(defs_ref)
        if name and choices and len(choices) >= 2:
            # pydantic picks the first choice no other class of this generation claims; the second one (with the
            # mode) only when a class appears both as input and as output in one operation.
            choices[0:2] = [DefsRef(name), DefsRef(f"{name}-{'Input' if mode == 'validation' else 'Output'}")]
        return defs_ref


class _WithGenerator:
    """A model seen through another JSON-schema generator: ninja's OpenAPISchema hard-codes its own."""

    def __init__(self, model: Any, generator: type[NinjaGenerateJsonSchema]) -> None:
        self._model = model
        self._generator = generator

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def model_json_schema(self, **kwargs: Any) -> dict[str, Any]:
        return self._model.model_json_schema(**{**kwargs, "schema_generator": self._generator})  # type: ignore[no-any-return]


def _wrap(model: Any, generator: type[NinjaGenerateJsonSchema]) -> Any:
    return model if isinstance(model, _WithGenerator) else _WithGenerator(model, generator)


class ProkuraturaOpenAPISchema(OpenAPISchema):
    """ninja's document with `ProkuraturaJsonSchema` names, refusing a name that would mean two things."""

    generator: type[ProkuraturaJsonSchema] = ProkuraturaJsonSchema

    def __init__(
        self, api: NinjaAPI, path_prefix: str, *, generator: type[ProkuraturaJsonSchema], strict: bool = True
    ) -> None:
        self.generator = generator
        self.strict = strict
        super().__init__(api, path_prefix)

    def _extract_parameters(self, model: Any) -> list[dict[str, Any]]:
        return super()._extract_parameters(_wrap(model, self.generator))

    def _create_schema_from_model(self, model: Any, *args: Any, **kwargs: Any) -> tuple[dict[str, Any], bool]:
        return super()._create_schema_from_model(_wrap(model, self.generator), *args, **kwargs)

    def operation_details(self, operation: Any) -> dict[str, Any]:
        details = super().operation_details(operation)
        extra = {**EVERY_OPERATION_ERRORS, **(BODY_OPERATION_ERRORS if "requestBody" in details else {})}
        responses = details["responses"]
        for status, description in extra.items():
            if status not in responses and str(status) not in responses:
                media_type = self.api.renderer.media_type
                responses[status] = {
                    "description": description,
                    "content": {media_type: {"schema": ERROR_REF}},
                }
        details["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        return details

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if self.strict and known is not None and known != definition:
                raise SchemaNameCollision(
                    f"Two different schemas would be published as components.schemas.{name}; rename one of "
                    f"the classes or add its app to prokuratura.core.openapi.APP_PREFIXES."
                )
            self.schemas[name] = definition


def build_openapi_schema(api: NinjaAPI, path_prefix: str) -> ProkuraturaOpenAPISchema:
    """The document of `api`: a first pass finds every class it names, the second names them."""
    seen: set[tuple[str, str]] = set()
    first = type("FirstPassJsonSchema", (ProkuraturaJsonSchema,), {"seen": seen, "names": {}})
    ProkuraturaOpenAPISchema(api, path_prefix, generator=first, strict=False)
    named = type("NamedJsonSchema", (ProkuraturaJsonSchema,), {"names": schema_names(seen)})
    return ProkuraturaOpenAPISchema(api, path_prefix, generator=named)
