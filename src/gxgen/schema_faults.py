"""jsonschema's errors in structured terms, for the facts schema and the extension
definitions alike.

jsonschema words its errors in English (``'agency' is a required property``); reading the key
back out of that text breaks on a key with a quote in it and on any rewording upstream. A
``Fault`` takes what a finding needs from the error's structured fields instead, and the
validators made here say which key a ``required`` error is about.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

PathKey = tuple[str | int, ...]


def _required(validator: Any, required: list[str], instance: Any,
              schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``required``, with the one missing key as the error's
    ``validator_value`` (``[key]``: the part of ``required`` the error is about)."""
    if not validator.is_type(instance, "object"):
        return
    for key in required:
        if key not in instance:
            yield ValidationError(f"{key!r} is a required property", validator_value=[key])


Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                         {"required": _required})
"""Draft 2020-12, with ``required`` errors that name their key."""


def validator(schema: dict[str, Any]) -> Any:
    """A validator for ``schema`` whose errors ``fault`` can read."""
    return Validator(schema)


@dataclass(frozen=True)
class Fault:
    """One schema error: the keyword that failed, where, and on what."""

    kind: str | None
    """The JSON Schema keyword (``required``, ``type``, ``maximum`` …); None for a ``false``
    schema."""
    path: PathKey
    value: Any
    """The value at fault (for a key error, the mapping holding the key)."""
    schema: Any
    bound: Any
    """The keyword's value: the limit of ``maximum``, the choices of ``enum`` …"""
    keys: tuple[str, ...] = ()
    """The missing key (``required``) or the unknown keys (``additionalProperties``)."""


def fault(error: ValidationError) -> Fault:
    """``error`` in structured terms, never from its English message."""
    path: PathKey = tuple(error.absolute_path)
    kind = error.validator if isinstance(error.validator, str) else None
    keys: tuple[str, ...] = ()
    bound: Any = error.validator_value
    if kind == "required":
        keys = tuple(str(k) for k in bound)[:1]
    elif kind == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = schema.get("properties", {})
        keys = tuple(k for k in error.instance if k not in allowed)
    return Fault(kind, path, error.instance, error.schema, bound, keys)
